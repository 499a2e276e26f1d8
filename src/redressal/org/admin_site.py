"""The administration site (SPEC §1 ``admin``: users, roles, org tree, calendars — no case content).

Django's admin, with three changes a bank needs:

- who may enter is decided by the actor's grants (``admin.org``, ``admin.users``, ``admin.calendar``),
  not by ``is_staff``; each model needs its own permission, and anyone else gets 403;
- every change is an append-only, hash-chained audit event with before/after (SPEC §13) — Django's
  ``LogEntry`` alone can be edited and is not chained;
- model and field names are shown translated (the models carry no verbose names, and adding them
  would mean migrations in apps this module does not own).

Cases, events, customers and evidence are never registered here: the ``admin`` role sees no case content.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from functools import wraps
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from redressal.audit.services import record_audit
from redressal.domain.roles import ADMINISTRATION
from redressal.org.authz import request_actor

ADMIN_PERMISSIONS = ADMINISTRATION  # any of them opens the administration site

# Model and app names as the admin shows them (translated), keyed by "app_label.ModelName".
MODEL_NAMES: dict[str, Any] = {}
APP_NAMES: dict[str, Any] = {"org": _("组织与人员"), "workdays": _("工作日历")}


class RedressalAdminSite(admin.AdminSite):
    site_header = _("Redressal 系统管理")
    site_title = _("系统管理")
    index_title = _("系统管理")
    site_url = "/admin-home/"

    def has_permission(self, request: HttpRequest) -> bool:
        actor = request_actor(request)
        return actor is not None and any(actor.has(p) for p in ADMIN_PERMISSIONS)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if request.user.is_authenticated and not self.has_permission(request):
                raise PermissionDenied  # signed in without an admin grant: 403, not another login form
            return inner(request, *args, **kwargs)

        return guarded

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        # One login page for the whole workbench (it is the audited one); a signed-in person
        # without an admin grant is refused outright rather than offered another login.
        if request.user.is_authenticated:
            raise PermissionDenied
        target = request.GET.get("next", reverse("admin:index"))
        return redirect(f"{reverse('web:login')}?{urlencode({'next': target})}")

    def password_change(  # type: ignore[override]  # a redirect, not the form page
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # One's own password is changed on the workbench's page (it clears a forced change and is audited).
        return redirect("web:password_change")

    def _build_app_dict(self, request: HttpRequest, label: Any = None) -> Any:
        # Keyed by app label whether or not ``label`` narrows it to one app (Django ≥ 4.1; it used to
        # return the one app's dict bare, which this once assumed: the app index answered 500).
        app_dict: dict[str, Any] = super()._build_app_dict(request, label)
        for app_label, app in app_dict.items():
            if app_label in APP_NAMES:
                app["name"] = str(APP_NAMES[app_label])
            for model in app.get("models", []):
                key = f"{app_label}.{model['object_name']}"
                if key in MODEL_NAMES:
                    model["name"] = str(MODEL_NAMES[key])
        return app_dict


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return str(value.pk)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, QuerySet):
        return [str(v.pk) for v in value]
    return value


class GuardedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """A model admin whose every permission is one grant of the actor, and whose every change is audited."""

    permission = "admin.org"
    verbose: Any = _("对象")
    labels: Mapping[str, Any] = {}
    can_delete = True

    def _allowed(self, request: HttpRequest) -> bool:
        actor = request_actor(request)
        return actor is not None and actor.has(self.permission)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.can_delete and self._allowed(request)

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name in self.labels:
            field.label = self.labels[db_field.name]
        return field

    def get_changelist_instance(self, request: HttpRequest) -> Any:
        # A filter is titled with its field's verbose name, which these models mostly lack: the list
        # showed "以 kind", "以 role" in the Chinese interface. Title it with the field's label instead.
        changelist = super().get_changelist_instance(request)
        for spec in changelist.filter_specs:
            path = getattr(spec, "field_path", "")
            if path in self.labels:
                spec.title = self.labels[path]
        return changelist

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        return super().changelist_view(request, {"title": self.verbose, **(extra_context or {})})

    def changeform_view(
        self, request: HttpRequest, object_id: str | None = None, form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> Any:
        return super().changeform_view(request, object_id, form_url, {"title": self.verbose, **(extra_context or {})})

    # --- audit -----------------------------------------------------------------------------------

    def _audit(self, request: HttpRequest, type_: str, obj: Model, payload: dict[str, Any]) -> None:
        actor = request_actor(request)
        record_audit(
            type_,
            actor_id=actor.id if actor else None,
            actor_role=actor.primary_role if actor else "",
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            payload={"object": str(obj), **payload},
        )

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool) -> None:
        before: dict[str, Any] = {}
        if change and obj.pk is not None:
            old = type(obj)._default_manager.filter(pk=obj.pk).first()
            if old is not None:
                before = {name: _plain(getattr(old, name, None)) for name in form.changed_data}
        super().save_model(request, obj, form, change)
        changes = {
            name: {"before": before.get(name), "after": _plain(getattr(obj, name, form.cleaned_data.get(name)))}
            for name in form.changed_data
            if name not in self.secret_fields
        }
        secrets = [name for name in form.changed_data if name in self.secret_fields]
        self._audit(request, "admin.change" if change else "admin.add", obj,
                    {"changes": changes, **({"secrets_changed": secrets} if secrets else {})})

    secret_fields: tuple[str, ...] = ()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        snapshot = {f.name: _plain(getattr(obj, f.attname, None)) for f in obj._meta.concrete_fields}
        self._audit(request, "admin.delete", obj, {"before": snapshot})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            snapshot = {f.name: _plain(getattr(obj, f.attname, None)) for f in obj._meta.concrete_fields}
            self._audit(request, "admin.delete", obj, {"before": snapshot})
        super().delete_queryset(request, queryset)


def column(name: str, label: Any) -> Any:
    """A changelist column with a translated header (the model field has no verbose name)."""

    def value(obj: Any) -> Any:
        shown = getattr(obj, f"get_{name}_display", None)
        return shown() if callable(shown) else getattr(obj, name)

    value.__name__ = name
    return admin.display(description=label, ordering=name)(value)
