"""The demo bank's organisation and people (SPEC §2, §15), built through ``redressal.org.services``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from redressal.core.clock import at_time
from redressal.org.authz import Actor, actor_for
from redressal.org.models import OrgUnit, Staff
from redressal.org.services import create_staff, create_unit
from redressal.triage.ml.texts import BRANCHES, CITY

HEAD_OFFICE = ("HO", "总行", "Head Office")


DEPARTMENTS: tuple[tuple[str, str, str], ...] = (
    ("RETAIL", "个人金融部", "Retail Banking"),
    ("CARD", "信用卡中心", "Credit Card Centre"),
    ("OPS", "运营管理部", "Operations"),
    ("TECH", "信息科技部", "Information Technology"),
    ("CP", "消费者权益保护部", "Consumer Protection"),
)


@dataclass(frozen=True)
class Person:
    username: str
    display_name: str
    unit: str
    role: str
    manager: str | None = None
    scope: str | None = None  # the role's unit when it is not the person's own unit
    skills: tuple[str, ...] = ()


# Head office and departments. Managers come before the people who report to them.
HEAD_OFFICE_PEOPLE: tuple[Person, ...] = (
    Person("admin", "孙立伟", "HO", "admin"),
    # A second administrator: role grants take two (one asks, the other approves).
    Person("admin2", "周启明", "HO", "admin"),
    Person("senior1", "陈志远", "HO", "senior_manager"),
    Person("compliance1", "林晓梅", "HO", "compliance", "senior1"),
    Person("qa1", "郑雅琴", "HO", "qa_inspector", "compliance1"),
    # A second inspector: calibration (two inspectors score one case blind) and appeals decided by
    # someone other than the inspector (SPEC §12, 质检).
    Person("qa2", "冯思远", "HO", "qa_inspector", "compliance1"),
    Person("auditor1", "韩立群", "HO", "auditor"),
    Person("hosupervisor", "宋建平", "CP", "supervisor", "senior1", scope="HO", skills=("review", "wealth")),
    Person("hohandler1", "马文杰", "CP", "handler", "hosupervisor", scope="HO", skills=("media", "mass_incident")),
    Person("hotline1", "刘佳", "OPS", "agent", "hosupervisor", scope="HO", skills=("hotline", "language:en")),
    Person("collab1", "赵磊", "TECH", "collaborator", "senior1", skills=("mobile_banking", "payments")),
    Person("collab2", "钱敏", "OPS", "collaborator", "senior1", skills=("clearing", "atm")),
    Person("collab3", "孙婷", "CARD", "collaborator", "senior1", skills=("credit_card", "collections")),
    Person("collab4", "吴浩", "RETAIL", "collaborator", "senior1", skills=("wealth", "loans")),
)

# Per branch: head, supervisor, two handlers, an agent — named with the branch's number (BJ is 1).
_BRANCH_NAMES: dict[str, tuple[str, str, str, str, str]] = {
    "BJ": ("王海峰", "李婧", "张晓东", "刘芳", "赵敏"),
    "SH": ("周立群", "徐静", "沈浩", "陆佳怡", "顾文"),
    "GZ": ("梁志明", "陈嘉欣", "黄俊杰", "何丽娟", "罗婷"),
    "SZ": ("郑国强", "林雪", "吴志刚", "蔡晓玲", "谢宇"),
    "CD": ("杨建华", "邓秀丽", "唐明", "曾倩", "彭磊"),
    "WH": ("胡卫东", "万丽", "熊涛", "程静", "夏雨"),
}
_HANDLER_SKILLS = (("credit_card", "elderly_care"), ("wealth", "loans"))
TELLERS: tuple[Person, ...] = (
    Person("teller1", "郭丽萍", "BJ01", "agent", "supervisor1", skills=("counter",)),
    Person("teller2", "钱晓燕", "SH01", "agent", "supervisor2", skills=("counter",)),
)


# A wealth manager (理财经理) at an outlet: the salesperson held to account in the mis-sold product's
# typical case (demo/typical.py).
SALES: tuple[Person, ...] = (Person("wealth1", "高雅婷", "BJ01", "agent", "supervisor1", skills=("wealth",)),)


def branch_people() -> list[Person]:
    out: list[Person] = []
    for i, (code, *_rest) in enumerate(BRANCHES, start=1):
        head, sup, h1, h2, agent = _BRANCH_NAMES[code]
        skills_extra = ("dialect:cantonese",) if code in ("GZ", "SZ") else ()
        out += [
            Person(f"branchhead{i}", head, code, "branch_head", "senior1"),
            Person(f"supervisor{i}", sup, code, "supervisor", f"branchhead{i}", skills=("review",)),
            Person(
                f"handler{2 * i - 1}", h1, code, "handler", f"supervisor{i}", skills=_HANDLER_SKILLS[0] + skills_extra
            ),
            Person(f"handler{2 * i}", h2, code, "handler", f"supervisor{i}", skills=_HANDLER_SKILLS[1]),
            Person(f"agent{i}", agent, code, "agent", f"supervisor{i}", skills=("hotline", "counter")),
        ]
    return out


def all_people() -> list[Person]:
    return [*HEAD_OFFICE_PEOPLE, *branch_people(), *TELLERS, *SALES]


# The logins printed at the end of the seed (SPEC §15: demo logins for each role).
DEMO_LOGINS: tuple[str, ...] = (
    "admin",
    "admin2",
    "agent1",
    "handler1",
    "handler2",
    "supervisor1",
    "branchhead1",
    "senior1",
    "compliance1",
    "qa1",
    "auditor1",
    "collab1",
)


@dataclass
class BranchTeam:
    code: str
    head: str
    supervisor: str
    handlers: tuple[str, str]
    agent: str
    outlets: tuple[str, ...]
    tellers: dict[str, str] = field(default_factory=dict)  # outlet code → teller


@dataclass
class DemoOrg:
    units: dict[str, OrgUnit]
    staff: dict[str, Staff]
    branches: dict[str, BranchTeam]
    _actors: dict[str, Actor] = field(default_factory=dict)

    def actor(self, username: str) -> Actor:
        if username not in self._actors:
            self._actors[username] = actor_for(self.staff[username])
        return self._actors[username]

    def branch_of(self, unit_code: str) -> str:
        unit = self.units[unit_code]
        if unit.kind == OrgUnit.Kind.OUTLET and unit.parent_id is not None:
            return next(c for c, u in self.units.items() if u.pk == unit.parent_id)
        return unit_code


def build_org(password: str, moment: datetime, progress: Callable[[int], None] | None = None) -> DemoOrg:
    """Create the head office, branches, outlets, departments and staff (at ``moment``)."""
    units: dict[str, OrgUnit] = {}
    staff: dict[str, Staff] = {}
    with at_time(moment):
        code, name, name_en = HEAD_OFFICE
        ho = units[code] = create_unit(code, name, OrgUnit.Kind.HEAD_OFFICE, name_en=name_en, region="全国")
        for dcode, dname, den in DEPARTMENTS:
            units[dcode] = create_unit(dcode, dname, OrgUnit.Kind.DEPARTMENT, ho, name_en=den, region="全国")
        for bcode, bname, ben, region, outlets in BRANCHES:
            branch = units[bcode] = create_unit(bcode, bname, OrgUnit.Kind.BRANCH, ho, name_en=ben, region=region)
            for i, oname in enumerate(outlets, start=1):
                ocode = f"{bcode}{i:02d}"
                units[ocode] = create_unit(
                    ocode, CITY[bcode] + oname, OrgUnit.Kind.OUTLET, branch, name_en=f"{ben} outlet {i}", region=region
                )
        admin_id: int | None = None
        for person in all_people():
            unit = units[person.unit]
            role: str | tuple[str, OrgUnit] = (person.role, units[person.scope]) if person.scope else person.role
            s = create_staff(
                person.username,
                password,
                unit,
                [role],
                display_name=person.display_name,
                manager=staff[person.manager] if person.manager else None,
                skills=list(person.skills),
                actor_id=admin_id,
            )
            staff[person.username] = s
            if person.username == "admin":
                admin_id = int(s.pk)
            if progress:
                progress(1)
    Staff.objects.filter(pk__in=[s.pk for s in staff.values()]).update(date_joined=moment)
    return DemoOrg(units=units, staff=staff, branches=_teams())


def _teams() -> dict[str, BranchTeam]:
    teams: dict[str, BranchTeam] = {}
    for i, (code, *_rest) in enumerate(BRANCHES, start=1):
        teams[code] = BranchTeam(
            code=code,
            head=f"branchhead{i}",
            supervisor=f"supervisor{i}",
            handlers=(f"handler{2 * i - 1}", f"handler{2 * i}"),
            agent=f"agent{i}",
            outlets=tuple(f"{code}{n:02d}" for n in range(1, 6)),
            tellers={t.unit: t.username for t in TELLERS if t.unit.startswith(code)},
        )
    return teams


def load_org() -> DemoOrg:
    """The demo organisation as it is in the database (for a run after the org exists)."""
    units = {u.code: u for u in OrgUnit.objects.all()}
    staff = {s.username: s for s in Staff.objects.select_related("unit")}
    return DemoOrg(units=units, staff=staff, branches=_teams())


def staff_count() -> int:
    return len(all_people())
