"""My queue (handlers) and the all-cases list (any ``case.read`` role, scoped), with XLSX export.

Both are the same list over different sets: the queue is the open cases assigned to me, the
all-cases list every case the actor may read (``search.selectors.case_list`` scopes it). Overdue first, then
P1 cases and regulators' transfers, then the nearest decision deadline, then the oldest received
(``cases.ordering``), paged by keyset (``web.paging``) so page 1 and page 20 000 cost the same,
counted only up to 1 000.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as t
from django.views.decorators.http import require_GET, require_POST

from redressal.cases.models import Case, CaseDeadline, Decision, Proposal
from redressal.cases.notice import APPROVED
from redressal.cases.ordering import list_order
from redressal.cases.selectors_risk import at_risk, countdown_moments
from redressal.core.clock import now
from redressal.core.errors import PermissionDenied, ServiceError
from redressal.core.masking import mask_text
from redressal.core.querysets import capped_count
from redressal.domain.lifecycle import FINAL_STATES
from redressal.domain.warnings import countdown_level
from redressal.org.authz import Actor
from redressal.org.models import OrgUnit
from redressal.org.selectors import scope_unit_ids
from redressal.search import selectors as search
from redressal.search.selectors import RELEVANCE_LIMIT, terms
from redressal.web import saved_filters
from redressal.web.exports import Column, xlsx_export
from redressal.web.forms.queue import FILTER_FIELDS, CaseFilterForm
from redressal.web.labels import OUTCOME_LABELS, REVIEW_OUTCOME_LABELS
from redressal.web.nav import nav_for
from redressal.web.paging import COUNT_CAP, Cursor, keyset_page
from redressal.web.snippets import snippet
from redressal.web.templatetags.redressal import (
    DEADLINE_STATE_LABELS,
    STATE_LABELS,
    due_local,
    local_moment,
    unit_name,
)
from redressal.web.triage_labels import risk_label, value_label, vulnerable_label
from redressal.web.views._common import current_actor, error_page

PAGE_SIZE = 50
EXPORT_CAP = 100_000
QUEUE_PERMS = ("case.accept", "case.investigate")
LIST_FIELDS = (
    "id", "case_number", "request_type", "channel", "status", "priority", "complainant_name", "product",
    "received_at", "decision_due_at", "decided_at", "closed_at", "unit__name", "assignee__username",
    "assignee__display_name", "urgency", "source", "risk_flags", "vulnerable", "paused", "extension_level",
)

VIEWS: dict[str, dict[str, Any]] = {
    "queue": {"url": "web:queue", "export": "web:queue_export", "title": "我的工单"},
    "all": {"url": "web:case_list", "export": "web:case_list_export", "title": "全部工单"},
}


def _authorise(actor: Actor, view: str) -> None:
    if view == "queue":
        if not any(actor.has(p) for p in QUEUE_PERMS):
            raise PermissionDenied("permission_denied", _("只有处理人员有“我的工单”"))
    elif not actor.has("case.read"):
        raise PermissionDenied("permission_denied", _("您无权查看工单列表"))


def filtered_cases(
    actor: Actor, form: CaseFilterForm, view: str, moment: datetime, *, counting: bool = False
) -> QuerySet[Case]:
    data = form.cleaned_data
    start, end = form.period()
    qs = search.case_list(
        actor,
        status=data["status"],
        priority=data["priority"],
        overdue=True if data["overdue"] else None,
        q=data["q"],
        received_from=start,
        received_to=end,
        now=moment,
        counting=counting,
        ranked=form.ranked(),
    )
    if view == "queue":
        qs = qs.filter(assignee_id=actor.id, closed_at__isnull=True)
    elif not data["include_closed"] and data["status"] not in FINAL_STATES and not form.searching():
        # Open work unless asked: finished cases are the bulk of a list. A search looks for a case
        # whatever became of it (compliance looks for finished ones above all), so it includes them.
        qs = qs.filter(closed_at__isnull=True)
    if data["channel"]:
        qs = qs.filter(channel=data["channel"])
    if data["request_type"]:
        qs = qs.filter(request_type=data["request_type"])
    if data["product"]:
        qs = qs.filter(product=data["product"])
    if data["at_risk"]:
        qs = at_risk(qs, moment)
    for axis in ("business", "cause"):
        if data[axis]:
            qs = qs.filter(**{f"classification__{axis}__confirmed__code__startswith": data[axis]})
    if data["unit"]:
        qs = qs.filter(unit__code=data["unit"])
    decided_from, decided_to = form.decided_period()
    if decided_from:
        qs = qs.filter(decided_at__gte=decided_from)
    if decided_to:
        qs = qs.filter(decided_at__lt=decided_to)
    if data["incident"]:
        qs = qs.filter(mass_incidents__id=data["incident"])
    return qs


def _left(due: datetime, moment: datetime) -> str:
    """Time to the due moment as the countdown first shows it (queue.js keeps it current)."""
    minutes = int((due - moment).total_seconds() // 60)
    if minutes <= 0:
        return _("已超时")
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return _("剩余 %(d)s 天 %(h)s 小时") % {"d": days, "h": hours}
    if hours:
        return _("剩余 %(h)s 小时 %(m)s 分钟") % {"h": hours, "m": mins}
    return _("剩余 %(m)s 分钟") % {"m": mins}


def _flags(c: Case) -> list[tuple[str, str]]:
    """The chips of a row (css class, label): what should catch a handler's eye before opening it."""
    chips: list[tuple[str, str]] = []
    if c.source == Case.Source.REGULATOR_FORWARDED:
        chips.append(("regulator", _("监管转办")))
    chips += [("risk", risk_label(f)) for f in c.risk_flags or []]
    chips += [("vulnerable", vulnerable_label(v)) for v in c.vulnerable or []]
    if c.paused:
        chips.append(("paused", _("已中止")))
    if c.extension_level:
        chips.append(("extended", _("已延期")))
    return chips


def _first_contact(rows: list[Case], moment: datetime) -> dict[int, tuple[str, bool]]:
    """Each case's first-contact deadline as the row shows it (one query for the page): the due moment
    while it runs, its state once met or breached; and whether it has passed unmet."""
    out: dict[int, tuple[str, bool]] = {}
    for case_id, due_at, state in CaseDeadline.objects.filter(
        case_id__in=[c.pk for c in rows], kind="first_contact"
    ).values_list("case_id", "due_at", "state"):
        if state == "running":
            out[case_id] = (due_local(due_at), due_at <= moment)
        else:
            out[case_id] = (str(DEADLINE_STATE_LABELS.get(state, state)), state == "breached")
    return out


def _with_warnings(rows: list[Case], moment: datetime) -> list[dict[str, Any]]:
    """Each row ready to show: warning moments for the current due (one query for the page), labels
    and links worked out once per page rather than per cell (template lookups are the page's cost)."""
    found = countdown_moments(rows)
    states = {k: str(v) for k, v in STATE_LABELS.items()}
    types = {k: str(v) for k, v in Case.RequestType.choices}
    channels = {k: str(v) for k, v in Case.Channel.choices}
    detail = reverse("web:case_detail", args=[0])
    tz = ZoneInfo(settings.TIME_ZONE)
    contact = _first_contact(rows, moment)
    out = []
    for c in rows:
        moments = found.get(c.pk, {})
        level = countdown_level(c.decision_due_at, c.closed_at is not None or c.decided_at is not None, moments, moment)
        running = c.decision_due_at is not None and c.closed_at is None and c.decided_at is None
        out.append(
            {
                "case": c,
                "href": detail.replace("/0/", f"/{c.pk}/"),
                "moments": {k: v.isoformat() for k, v in moments.items()},
                "level": level,
                "running": running,
                "left": _left(c.decision_due_at, moment) if running and c.decision_due_at else "",
                "due_iso": c.decision_due_at.isoformat() if c.decision_due_at else "",
                "due_local": due_local(c.decision_due_at),
                "first_contact": contact.get(c.pk, ("—", False)),
                "flags": _flags(c),
                "received": c.received_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
                "state_label": states.get(c.status, c.status),
                "type_label": types.get(c.request_type, c.request_type),
                "channel_label": channels.get(c.channel, c.channel),
            }
        )
    return out


def unit_choices(actor: Actor) -> list[tuple[str, str]]:
    """The units whose cases the reader may list, by name in their language, in the tree's order."""
    units = OrgUnit.objects.filter(pk__in=scope_unit_ids(actor, "case.read")).order_by("path")
    return [(u.code, unit_name(u)) for u in units.only("code", "name", "name_en", "path")]


def _filter_query(request: HttpRequest) -> str:
    """The filter part of the query string (no cursor), for links, saved filters and the export."""
    params = QueryDict(mutable=True)
    for name in FILTER_FIELDS:
        value = request.GET.get(name, "")
        if value:
            params[name] = value[:200]
    return params.urlencode()


def _list(request: HttpRequest, view: str) -> HttpResponse:
    actor = current_actor(request)
    try:
        _authorise(actor, view)
    except ServiceError as exc:
        return error_page(request, exc)
    moment = now()
    form = CaseFilterForm(request.GET, units=unit_choices(actor))
    context: dict[str, Any] = {
        "view": view,
        "title": VIEWS[view]["title"],
        "form": form,
        "now": moment,
        "filter_query": _filter_query(request),
        "saved": saved_filters.saved_filters(actor, view),
        "list_url": reverse(VIEWS[view]["url"]),
        "export_url": reverse(VIEWS[view]["export"]),
        "export_cap": EXPORT_CAP,
    }
    if not form.is_valid():
        context.update(rows=[], count=0, count_capped=False, page=None)
        return render(request, "web/queue/list.html", context, status=422)
    context["searching"] = form.searching()
    qs = filtered_cases(actor, form, view, moment)
    if form.ranked():
        return _ranked_list(request, actor, form, qs, moment, context)
    after = Cursor.decode(request.GET.get("after", ""))
    listed = qs.only(*LIST_FIELDS)  # a Case row is wide (JSON, text): load what the table shows
    before = None if after else Cursor.decode(request.GET.get("before", ""))
    page = keyset_page(listed, after=after, before=before, size=PAGE_SIZE, now=moment)
    count, capped = capped_count(filtered_cases(actor, form, view, moment, counting=True), COUNT_CAP)
    base = context["filter_query"]
    context.update(
        rows=_with_warnings(page.rows, moment),
        page=page,
        count=count,
        count_capped=capped,
        next_url=f"?{base}&{urlencode({'after': page.next_cursor})}" if page.next_cursor else "",
        prev_url=f"?{base}&{urlencode({'before': page.prev_cursor})}" if page.prev_cursor else "",
    )
    template = "web/queue/_rows.html" if request.GET.get("fragment") == "rows" else "web/queue/list.html"
    return render(request, template, context)


def _snippets(actor: Actor, rows: list[Case], q: str) -> dict[int, str]:
    """Each row's description around the words searched for, as the reader may see it (one query)."""
    words = [t.text for t in terms(q)]
    units = {c.pk: c.unit for c in rows}
    texts = Case.objects.filter(pk__in=list(units)).values_list("pk", "description")
    return {pk: snippet(text if actor.has("pii.view", units[pk]) else mask_text(text), words) for pk, text in texts}


def _ranked_list(
    request: HttpRequest,
    actor: Actor,
    form: CaseFilterForm,
    qs: QuerySet[Case],
    moment: datetime,
    context: dict[str, Any],
) -> HttpResponse:
    """A search read best match first: offset pages over the top ``RELEVANCE_LIMIT`` matches (a rank
    has no index order to page by), each row with the sentence that matched."""
    try:
        number = min(max(int(request.GET.get("page", "1")), 1), RELEVANCE_LIMIT // PAGE_SIZE)
    except ValueError:
        number = 1
    start = (number - 1) * PAGE_SIZE
    found = list(qs.only(*LIST_FIELDS)[start : start + PAGE_SIZE + 1])
    rows, more = found[:PAGE_SIZE], len(found) > PAGE_SIZE and start + PAGE_SIZE < RELEVANCE_LIMIT
    snippets = _snippets(actor, rows, form.cleaned_data["q"])
    listed = _with_warnings(rows, moment)
    for row in listed:
        row["snippet"] = snippets.get(row["case"].pk, "")
    count, capped = capped_count(filtered_cases(actor, form, context["view"], moment, counting=True), COUNT_CAP)
    base = context["filter_query"]
    context.update(
        rows=listed,
        page=None,
        ranked=True,
        count=count,
        count_capped=capped,
        next_url=f"?{base}&{urlencode({'page': number + 1})}" if more else "",
        prev_url=f"?{base}&{urlencode({'page': number - 1})}" if number > 1 else "",
    )
    template = "web/queue/_rows.html" if request.GET.get("fragment") == "rows" else "web/queue/list.html"
    return render(request, template, context)


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    return _list(request, "queue")


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    # "/" is where login lands: a role that reads no cases (collaborator, admin) goes to its own first page.
    if not current_actor(request).has("case.read"):
        entries = [e for e in nav_for(request) if e["url"] != reverse("web:case_list")]
        if entries:
            return HttpResponseRedirect(str(entries[0]["url"]))
    return _list(request, "all")


def _code(c: Case, axis: str) -> str:
    """The confirmed JR/T 0169 code of an axis with its label ("B0101 借记卡"); blank until confirmed,
    since the regulatory report counts confirmed codes only."""
    entry = (c.classification or {}).get(axis) if isinstance(c.classification, dict) else None
    confirmed = entry.get("confirmed") if isinstance(entry, dict) else None
    if not isinstance(confirmed, dict) or not confirmed.get("code"):
        return ""
    code = str(confirmed["code"])
    return f"{code} {value_label(axis, code)}"


def _outcome(c: Case) -> str:
    labels = REVIEW_OUTCOME_LABELS if c.kind == Case.Kind.REVIEW else OUTCOME_LABELS
    outcome = getattr(c, "last_outcome", None)  # annotated by the export's query
    return str(labels.get(outcome, outcome)) if outcome else ""


def _columns(actor: Actor) -> list[Column]:
    """What a compliance officer needs of each case in one sheet (SPEC §12 exports): the facts, the
    description (ID, phone and card numbers masked without pii.view over the case's unit), the
    confirmed B/C codes, the outcome, the compensation approved and the handler by name."""
    return [
        Column(t("编号"), lambda c: c.case_number, width=24),
        Column(t("类型"), lambda c: c.get_request_type_display()),
        Column(t("渠道"), lambda c: c.get_channel_display()),
        Column(t("状态"), lambda c: str(STATE_LABELS.get(c.status, c.status))),
        Column(t("优先级"), lambda c: c.priority, width=8),
        Column(t("投诉人"), lambda c: c.complainant_name),
        Column(t("产品"), lambda c: c.product),
        Column(t("金额"), lambda c: c.amount, kind="money"),
        Column(t("受理机构"), lambda c: c.unit.name, width=18),
        Column(t("处理人"), lambda c: str(c.assignee) if c.assignee else ""),
        Column(t("收到时间"), lambda c: c.received_at, kind="datetime", width=18),
        Column(t("答复期限"), lambda c: c.decision_due_at, kind="datetime", width=18),
        Column(t("办结时间"), lambda c: c.closed_at, kind="datetime", width=18),
        Column(t("业务分类（B）"), lambda c: _code(c, "business"), width=22),
        Column(t("原因分类（C）"), lambda c: _code(c, "cause"), width=22),
        Column(t("处理结果"), _outcome, width=12),
        Column(t("补偿金额"), lambda c: getattr(c, "compensation", None), kind="money"),
        Column(
            t("投诉内容"),
            lambda c: c.description if actor.has("pii.view", c.unit) else mask_text(c.description),
            width=60,
        ),
    ]


def _export(request: HttpRequest, view: str) -> HttpResponseBase:
    actor = current_actor(request)
    try:
        _authorise(actor, view)
    except ServiceError as exc:
        return error_page(request, exc)
    form = CaseFilterForm(request.GET, units=unit_choices(actor))
    if not form.is_valid():
        return HttpResponseRedirect(f"{reverse(VIEWS[view]['url'])}?{_filter_query(request)}")
    moment = now()
    qs = filtered_cases(actor, form, view, moment).order_by(*list_order(moment)).annotate(
        last_outcome=Subquery(Decision.objects.filter(case=OuterRef("pk")).order_by("-pk").values("outcome")[:1]),
        compensation=Subquery(
            Proposal.objects.filter(case=OuterRef("pk"), status__in=APPROVED)
            .values("case")
            .annotate(total=Sum("total"))
            .values("total")[:1]
        ),
    )
    stamp = local_moment(moment).strftime("%Y%m%d-%H%M")  # the name a person reads: Asia/Shanghai
    return xlsx_export(
        actor,
        list_name=view,
        rows=qs.iterator(chunk_size=2000),
        columns=_columns(actor),
        filters=form.applied(),
        filename=f"redressal-{view}-{stamp}.xlsx",
        cap=EXPORT_CAP,
    )


@login_required
@require_GET
def queue_export(request: HttpRequest) -> HttpResponseBase:
    return _export(request, "queue")


@login_required
@require_GET
def case_list_export(request: HttpRequest) -> HttpResponseBase:
    return _export(request, "all")


def _back(view: str, query: str) -> HttpResponseRedirect:
    url = reverse(VIEWS.get(view, VIEWS["all"])["url"])
    return HttpResponseRedirect(f"{url}?{query}" if query else url)


@login_required
@require_POST
def save_filter(request: HttpRequest) -> HttpResponse:
    actor = current_actor(request)
    view = request.POST.get("view", "")
    query = request.POST.get("query", "")
    try:
        _authorise(actor, view if view in VIEWS else "all")
        saved_filters.save_filter(actor, view, request.POST.get("name", ""), query)
    except ServiceError as exc:
        return error_page(request, exc, field=exc.field, back=reverse(VIEWS.get(view, VIEWS["all"])["url"]))
    return _back(view, query)


@login_required
@require_POST
def delete_filter(request: HttpRequest, filter_id: int) -> HttpResponse:
    actor = current_actor(request)
    try:
        saved_filters.delete_filter(actor, filter_id)
    except ServiceError as exc:
        return error_page(request, exc)
    return _back(request.POST.get("view", ""), "")
