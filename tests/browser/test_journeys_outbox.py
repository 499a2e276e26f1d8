"""Customer messages in the browser: the registration result and the case page say what the outbox did
with the acknowledgement; a dead letter is listed for the supervisor, sent again with a reason, and then
delivered (demo mode: to the local sink)."""

from __future__ import annotations

from django.utils import timezone

from redressal.domain.delivery import in_quiet_hours, quiet_hours_end
from redressal.notify.delivery import drain
from redressal.notify.models import CustomerMessage
from redressal.outbox.contacts import contacts_for
from tests.outbox.test_delivery import register


def test_a_dead_letter_is_sent_again_and_the_pages_say_so(bank, as_user, monkeypatch):
    for name in ("REDRESSAL_SMTP_URL", "REDRESSAL_SMS_GATEWAY_URL"):
        monkeypatch.delenv(name, raising=False)
    case = register(bank, phone="")  # no phone, no email: a dead letter on the first round
    drain(contacts_for)
    message = CustomerMessage.objects.get(case=case, kind="acknowledgement")
    assert message.state == "dead"

    supervisor = as_user("supervisor1")
    supervisor.goto(f"/cases/{case.pk}/")
    row = supervisor.page.locator("[data-testid=customer-messages] [data-testid=delivery-acknowledgement]")
    assert row.get_attribute("data-state") == "dead" and "发送失败" in row.inner_text()

    supervisor.goto("/outbox/?state=dead")
    assert case.case_number in supervisor.text("[data-testid=outbox-table]")
    supervisor.shot("dead-letters")
    supervisor.page.fill("[data-testid=outbox-table] input[name=reason]", "客户已补登手机号")
    with supervisor.page.expect_navigation():
        supervisor.page.click("[data-testid=outbox-retry]")
    assert case.case_number in supervisor.text("[data-testid=outbox-table]")  # now waiting
    assert CustomerMessage.objects.get(pk=message.pk).state == "pending"

    # The customer's phone is added; the next round delivers it (to the sink: nothing leaves).
    customer = case.customer
    customer.phone = "13812345678"
    customer.save(update_fields=["phone"])
    current = timezone.now()  # an SMS waits for the morning if the test runs at night (Beijing time)
    drain(contacts_for, at=quiet_hours_end(current) if in_quiet_hours(current) else current)
    supervisor.goto("/outbox/")
    text = supervisor.text("[data-testid=outbox-table]")
    assert case.case_number in text and "138****5678" in text and "13812345678" not in text
    supervisor.goto(f"/cases/{case.pk}/")
    row = supervisor.page.locator("[data-testid=customer-messages] [data-testid=delivery-acknowledgement]")
    assert row.get_attribute("data-state") == "sent" and "通过短信发送至 138****5678" in row.inner_text()
    supervisor.shot("case-messages")
