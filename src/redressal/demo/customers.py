"""The demo bank's customers (CRM-lite, SPEC §3): ~5,000 people and a few companies, a share elderly."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from redressal.core.clock import at_time
from redressal.customers.services import CustomerInput, create_customer
from redressal.demo import names
from redressal.domain.customers import age_on
from redressal.org.models import OrgUnit

BRANCH_WEIGHTS = (("BJ", 22), ("SH", 22), ("GZ", 16), ("SZ", 16), ("CD", 12), ("WH", 12))
ELDERLY_SHARE = 0.2
BATCH = 250


@dataclass(frozen=True)
class DemoCustomer:
    pk: int
    name: str
    branch: str
    kind: str
    age: int | None
    female: bool
    language: str
    phone_tail: str
    debit_tail: str
    credit_tail: str
    products: tuple[str, ...]

    @property
    def elderly(self) -> bool:
        return self.age is not None and self.age >= 65


def weighted_branch(rng: random.Random) -> str:
    x = rng.randrange(sum(w for _, w in BRANCH_WEIGHTS))
    for code, w in BRANCH_WEIGHTS:
        if x < w:
            return code
        x -= w
    return BRANCH_WEIGHTS[-1][0]


def _person(rng: random.Random, today: date) -> tuple[CustomerInput, str, int | None, bool]:
    branch = weighted_branch(rng)
    district_code, district = names.CITY_DISTRICTS[branch][rng.randrange(5)]
    u = rng.random()
    if u < 0.03:  # a company
        company = names.company_name(rng, branch)
        data = CustomerInput(
            name=company,
            kind="corporate",
            phone=names.mobile(rng),
            id_number=names.credit_code(rng, district_code),
            card_number=names.debit_card(rng),
            address=names.address(rng, branch, district),
            products=["corporate_account", "online_banking"],
            contact_channel="phone",
            contact_time="工作日 9:00-17:00",
        )
        return data, branch, None, False
    female = rng.random() < 0.52
    if u < 0.03 + ELDERLY_SHARE:
        born = names.birth_date(rng, today, 66, 92)
    elif u < 0.03 + ELDERLY_SHARE + 0.08:
        born = names.birth_date(rng, today, 56, 64)
    else:
        born = names.birth_date(rng, today, 19, 55)
    foreign = rng.random() < 0.012 and branch in ("SH", "BJ", "SZ", "GZ")
    products = ["debit_card"]
    for product, share in (
        ("mobile_banking", 0.75 if born.year > 1960 else 0.3),
        ("credit_card", 0.45),
        ("wealth", 0.25),
        ("deposit", 0.5),
        ("mortgage", 0.15),
        ("consumer_loan", 0.12),
    ):
        if rng.random() < share:
            products.append(product)
    declared: list[str] = []
    if rng.random() < 0.01:
        declared.append("disabled")
    if born.year < 1955 and rng.random() < 0.15:
        declared.append("low_literacy")
    if rng.random() < 0.004:
        declared.append("bereaved")
    if foreign:
        name = names.FOREIGN_NAMES[rng.randrange(len(names.FOREIGN_NAMES))]
        id_number = "E" + f"{rng.randrange(10**8):08d}"  # a passport number
    else:
        name = names.person_name(rng, born.year, female)
        id_number = names.id_number(rng, district_code, born, female)
    phone = names.mobile(rng)
    data = CustomerInput(
        name=name,
        phone=phone,
        id_number=id_number,
        card_number=names.credit_card(rng)
        if "credit_card" in products and rng.random() < 0.5
        else names.debit_card(rng),
        address=names.address(rng, branch, district),
        birth_date=born,
        vulnerable=declared,
        products=products,
        contact_channel=(channel := ("phone", "sms", "wechat", "email")[min(int(rng.random() * 4), 3)]),
        # Those who prefer email have an address (derived, not drawn: the random sequence is unchanged).
        email=f"kh{phone[-8:]}@mail.example.cn" if channel == "email" else "",
        contact_time=("工作日白天", "工作日晚上", "周末", "任意时间")[rng.randrange(4)],
        language="en" if foreign else "zh-hans",
    )
    return data, branch, age_on(born, today), female


def build_customers(
    count: int, rng: random.Random, moment: datetime, progress: Callable[[int], None] | None = None
) -> list[DemoCustomer]:
    """Create ``count`` customers through ``create_customer`` (encryption and blind indexes as in production),
    a batch per transaction."""
    today = moment.date()
    branches = {u.code: u for u in OrgUnit.objects.filter(code__in=[code for code, _ in BRANCH_WEIGHTS])}
    out: list[DemoCustomer] = []
    with at_time(moment):
        for start in range(0, count, BATCH):
            with transaction.atomic():
                for _ in range(min(BATCH, count - start)):
                    data, branch, age, female = _person(rng, today)
                    customer = create_customer(data, actor=None, home_unit=branches.get(branch))
                    out.append(
                        DemoCustomer(
                            pk=int(customer.pk),
                            name=customer.name,
                            branch=branch,
                            kind=customer.kind,
                            age=age,
                            female=female,
                            language=customer.language,
                            phone_tail=data.phone[-4:],
                            debit_tail=data.card_number[-4:],
                            credit_tail=names.credit_card(rng)[-4:],
                            products=tuple(data.products),
                        )
                    )
            if progress:
                progress(min(BATCH, count - start))
    return out
