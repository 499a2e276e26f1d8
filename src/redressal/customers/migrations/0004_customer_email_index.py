"""The blind index of the customer's email address, filled for the records that already have one."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from redressal.core.crypto import address_index

    Customer = apps.get_model("customers", "Customer")
    batch = []
    # The historical model keeps the encrypted field class, so ``email`` reads in clear here.
    for customer in Customer.objects.exclude(email="").only("pk", "email").iterator(chunk_size=500):
        if customer.email:
            customer.email_index = address_index(customer.email)
            batch.append(customer)
        if len(batch) >= 500:
            Customer.objects.bulk_update(batch, ["email_index"])
            batch = []
    if batch:
        Customer.objects.bulk_update(batch, ["email_index"])


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0003_customer_email"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="email_index",
            field=models.CharField(blank=True, db_index=True, max_length=64),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
