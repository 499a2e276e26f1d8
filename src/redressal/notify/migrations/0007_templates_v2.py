"""Version 2 of two customer-message texts, now that the services send them (SPEC §10): the review's
acknowledgement names the case under review and the review's own number; the visit announcement says
by when. A text an administrator has already edited (its newest version is no longer version 1's) is
left as they made it."""

from django.db import migrations
from django.db.models import Max

V1 = {
    ("review_acknowledgement", "zh-hans"): "您对编号 {case_number} 的核查申请已受理，我们将在规定时限内答复。",
    ("review_acknowledgement", "en"): (
        "Your request for a review of {case_number} has been received; we will reply within the time allowed."
    ),
    ("follow_up_visit", "zh-hans"): "我们将就编号 {case_number} 的处理结果对您进行回访，感谢您的配合。",
    ("follow_up_visit", "en"): "We will contact you about the outcome of {case_number}; thank you.",
}
V2 = {
    ("review_acknowledgement", "zh-hans"): (
        "您对编号 {review_of} 的核查申请已登记，核查编号 {case_number}。我们将在规定时限内答复。"
    ),
    ("review_acknowledgement", "en"): (
        "Your request for a review of {review_of} has been registered as {case_number}. "
        "We will reply within the time allowed."
    ),
    ("follow_up_visit", "zh-hans"): "我们将在 {due_date} 前就编号 {case_number} 的处理结果对您进行回访，感谢您的配合。",
    ("follow_up_visit", "en"): "We will contact you by {due_date} about the outcome of {case_number}; thank you.",
}


def templates_v2(apps, schema_editor):
    Template = apps.get_model("notify", "MessageTemplate")
    for (kind, language), body in V2.items():
        rows = Template.objects.filter(kind=kind, language=language)
        newest = rows.order_by("-version").first()
        if newest is not None and newest.body != V1[(kind, language)]:
            continue
        version = (rows.aggregate(v=Max("version"))["v"] or 0) + 1
        Template.objects.create(kind=kind, language=language, version=version, body=body, active=True)


class Migration(migrations.Migration):
    dependencies = [("notify", "0006_template_labels")]

    operations = [migrations.RunPython(templates_v2, migrations.RunPython.noop)]
