"""Routing rules are edited in the Django admin, with translated names (SPEC §7)."""

from __future__ import annotations

from django.contrib import admin

from redressal.triage.models import RoutingRule


def test_routing_rules_are_in_the_admin_with_translated_names(bank, client):
    assert RoutingRule in admin.site._registry
    assert str(RoutingRule._meta.verbose_name) == "分派规则"
    staff = bank.people["admin"]
    staff.is_staff = True
    staff.is_superuser = True
    staff.save()
    RoutingRule.objects.create(name="信用卡专线", order=5, products=["信用卡"], required_skill="credit_card")
    client.force_login(staff)
    page = client.get("/admin/triage/routingrule/")
    assert page.status_code == 200
    assert "信用卡专线" in page.content.decode()
    assert client.get(f"/admin/triage/routingrule/{RoutingRule.objects.get().pk}/change/").status_code == 200
