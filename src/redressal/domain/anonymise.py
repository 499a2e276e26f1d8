"""Anonymising a case's texts for the typical-case library (案例库, SPEC §12; issue 15 item 7).

A library entry is read by every member of staff, so nothing in it may point back to a person: the
seeds' worked cases speak of "王先生", "李女士" and "张先生", and a real write-up copied from a case would
carry the customer's name, ID, phone and card numbers, address and the dates of the transaction. This
module takes such a text and returns it with those replaced by neutral placeholders; the library's
services run it over every field of a draft when it is written and whenever it is edited, and a
second person reviews the result before it is published (``library.services.entries``).

What is replaced, and with what:
- **the case's known people** (the customer, the complainant and representatives, the staff who acted
  on the case or were complained about): their full names wherever they appear, even glued to other
  words (Chinese has no spaces: "客户王秀英反映"), by a label per person ("客户甲", "员工乙"), the same
  label in every field of one entry so the story stays readable;
- **a surname with a form of address** ("王先生", "李女士", "张某", "赵经理"): the known person's label
  when the surname is exactly one known person's, else "某" with the form of address ("某先生");
  a surname never standing alone (王府井, 高明的) is left, and the characters that are far more often a
  preposition than a surname (向, 于 …) only when they are a known person's surname;
- **a name after a field word** ("户名：张三", "收款人李四"): "某某";
- **personal numbers** (``domain.pii_numbers``: an 18- or 15-digit resident ID, a mobile, a card
  number passing Luhn), a landline with its area code, an e-mail address, any other run of ten or
  more digits (an account or a transaction reference: nothing a reader needs), a card "尾号1234",
  and a case number (it leads back to the case): a bracketed placeholder of its kind;
- **addresses** (province/city/district, then a road, street or lane with a number, and the building,
  unit and room after it; or a residential compound with a building number), and the customer's
  address as stored, wherever it appears: "【地址】".

Amounts, times of day, durations, branch and product names stay: they are what a reader learns from.

**Dates** are shifted by a per-entry offset of whole weeks (``date_offset``): a whole number of weeks
keeps every weekday (a complaint made on a Saturday still reads as a Saturday) and every interval
between two dates (a transfer on the 3rd and a complaint on the 10th are still seven days apart). What
it does not keep is the public-holiday calendar: a shifted date may land on or off a holiday, so
working-day counts between two shifted dates can differ by the holidays in between. Written dates
("2026年3月15日", "2026-03-15", "3月15日" with the year taken as the one nearest the case's date) are
shifted; a month alone ("2026年3月") and relative dates ("次日", "三天后") are left.

The anonymiser is rules over text, not understanding: a third party named without a form of address
and not known to the case ("转给了朋友陈思远") is not found. That is why a second person reads every
entry before it is published.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal

from redressal.domain.pii_numbers import NUMBER, classify_number

PersonRole = Literal["customer", "staff"]

# The placeholders, by kind: the reader sees what was there, not what it was.
PLACEHOLDER = {
    "id": "【身份证号】",
    "mobile": "【手机号】",
    "card": "【银行卡号】",
    "landline": "【电话】",
    "email": "【邮箱】",
    "account": "【账号】",
    "case_number": "【工单编号】",
    "address": "【地址】",
}
_ORDINALS = "甲乙丙丁戊己庚辛壬癸"
# Words for a member of staff that may stand right before their name; the name's label takes the word
# ("柜员郭丽萍" → "柜员乙"), longest first so "大堂经理" is not read as "经理".
_JOB_WORDS = (
    "大堂经理",
    "理财经理",
    "客户经理",
    "客服人员",
    "工作人员",
    "柜员",
    "客服",
    "专员",
    "主管",
    "经理",
    "员工",
)
_ROLE_WORD = {"customer": "客户", "staff": "员工"}

# The most common surnames (together more than 85 % of the population), compound ones first.
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "司徒", "令狐", "尉迟")
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施"
    "文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛"
    "曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏"
    "席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝"
)
# Surnames that are far more often a word of their own before a form of address ("向先生致歉": to the
# gentleman; "和女士们"): taken as a surname only when a known person of the case bears it.
_AMBIGUOUS = set("向于和与由从将把被给对为在同及是有时成常明全应单")
_ADDRESS_FORMS = "先生|女士|小姐|老先生|老太太|老人|阿姨|大爷|大妈|大姐|大哥|奶奶|爷爷|师傅|老师|经理|主任|行长|某某|某"
_SURNAME = "(?:" + "|".join(COMPOUND_SURNAMES) + "|[" + SURNAMES + "])"
# A surname with a form of address, not glued to a preceding surname-plus-given-name (handled as a
# known name) — and not the second character of a word like 某某.
_HONORIFIC = re.compile(r"(?<![某])(" + _SURNAME + r")(" + _ADDRESS_FORMS + r")")
# After a field word: "户名：张三", "收款人 李四" — the two or three characters after the surname.
_FIELD_NAME = re.compile(
    r"(户名|姓名|收款人|付款人|持卡人|联系人|代理人|委托人)([：:\s]*)(" + _SURNAME + r")[\u4e00-\u9fff]{1,2}"
)

_LANDLINE = re.compile(r"(?<![0-9A-Za-z])(?:\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3}-)\s?\d{3,4}[ -]?\d{4}(?![0-9])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_LONG_DIGITS = re.compile(r"(?<![0-9A-Za-z])(?:\d{10,30}|\d{4}(?:[ -]\d{4}){2,4}(?:[ -]\d{1,3})?)(?![0-9A-Za-z]|\.\d)")
_TAIL = re.compile(r"(尾号(?:为|是)?[：:]?\s?)\d{3,4}(?![0-9])")
_CASE_NUMBER = re.compile(r"(?<![A-Za-z0-9])(?:TS|HC)\d{8}[A-Z0-9]{2,16}\d{4}(?![0-9])")

# Addresses: a road, street or lane with a number ("建国路88号", then "3号楼2单元501室"), or a residential
# compound with a building number, together with the place names before it ("北京市朝阳区"). The place
# names are the Chinese characters before the road that are not a common function word, so the match
# does not reach back over "住在", "位于", "反映" into the sentence (at most 14 of them).
_N = r"(?:(?![在住于至到从向为是的了和与及址家居称说往去来我他她其映经过对旁近附])[\u4e00-\u9fff])"
_BUILDING = r"(?:\s?[0-9一二三四五六七八九十]+(?:号楼|栋|幢|座|单元|层|楼|室|号|户))*"
_ADDRESS = re.compile(
    rf"{_N}{{1,14}}(?:路|街|大街|大道|巷|胡同|弄)(?:[一二三四五六七八九十]段)?\d+(?:-\d+)?号(?:院)?{_BUILDING}"
    rf"|{_N}{{2,14}}(?:小区|花园|公寓|新村|家园|苑)\d+(?:号楼|栋|幢|座){_BUILDING}"
)
# Two-character words that end in a surname character and may precede a form of address ("基金经理",
# "现金柜员"): not a surname there.
_WORDS = {
    "基金",
    "现金",
    "黄金",
    "资金",
    "年金",
    "押金",
    "奖金",
    "租金",
    "美金",
    "本金",
    "平安",
    "公安",
    "保安",
    "同时",
    "当时",
    "及时",
    "按时",
    "准时",
    "临时",
    "高明",
    "光明",
    "说明",
    "证明",
    "文明",
}

_DATE_FULL = re.compile(r"(?<![0-9])(\d{4})年(\d{1,2})月(\d{1,2})(日|号)")
_DATE_ISO = re.compile(r"(?<![0-9])(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?![0-9])")
_DATE_MD = re.compile(r"(?<![0-9年])(\d{1,2})月(\d{1,2})(日|号)")


@dataclass(frozen=True)
class Person:
    """Someone the case knows by name."""

    name: str
    role: PersonRole


@dataclass(frozen=True)
class Known:
    """What the case knows about the people in it, to be found wherever it appears."""

    people: tuple[Person, ...] = ()
    numbers: tuple[str, ...] = ()  # the customer's phone, ID and card numbers as stored
    addresses: tuple[str, ...] = ()  # the customer's address as stored

    def labels(self) -> dict[str, str]:
        """name → label ("客户甲", "员工乙"), in the order the people are given, one label per name."""
        out: dict[str, str] = {}
        counts: Counter[str] = Counter()
        for person in self.people:
            name = person.name.strip()
            if len(name) < 2 or name in out:
                continue
            index = counts[person.role]
            counts[person.role] += 1
            suffix = _ORDINALS[index] if index < len(_ORDINALS) else str(index + 1)
            out[name] = _ROLE_WORD[person.role] + suffix
        return out


@dataclass
class Result:
    """The anonymised text and how many of each kind were replaced (for the author to check)."""

    text: str
    counts: Counter[str] = field(default_factory=Counter)


def surname_of(name: str) -> str:
    for compound in COMPOUND_SURNAMES:
        if name.startswith(compound):
            return compound
    return name[:1]


def _is_cjk(text: str) -> bool:
    return all("\u4e00" <= ch <= "\u9fff" for ch in text)


def _replace(pattern: re.Pattern[str], text: str, kind: str, counts: Counter[str], repl: str) -> str:
    def sub(match: re.Match[str]) -> str:
        counts[kind] += 1
        return match.expand(repl) if "\\" in repl else repl

    return pattern.sub(sub, text)


def _digits(value: str) -> str:
    return re.sub(r"\D", "", value)


def _known_values(text: str, known: Known, counts: Counter[str]) -> str:
    """The customer's stored numbers and address, wherever they appear (grouped as typed or not)."""
    for address in sorted({a.strip() for a in known.addresses if len(a.strip()) >= 6}, key=len, reverse=True):
        if address in text:
            counts["address"] += text.count(address)
            text = text.replace(address, PLACEHOLDER["address"])
    for number in {_digits(n) for n in known.numbers if len(_digits(n)) >= 7}:
        # The number with any spaces or dashes between its digits.
        pattern = re.compile(r"(?<![0-9])" + r"[ -]?".join(number) + r"[Xx]?(?![0-9])")
        found = classify_number(number)
        kind = found[0] if found else "account"
        text = _replace(pattern, text, kind, counts, PLACEHOLDER[kind])
    return text


def _names(text: str, known: Known, counts: Counter[str]) -> str:
    labels = known.labels()
    for name in sorted(labels, key=len, reverse=True):
        label = labels[name]
        if not _is_cjk(name):  # a name in Latin letters: whole words, any case
            pattern = re.compile(r"(?<![A-Za-z])" + re.escape(name) + r"(?![A-Za-z])", re.IGNORECASE)
            text = _replace(pattern, text, "name", counts, label)
            continue
        # "客户王秀英" → "客户甲", not "客户客户甲"; "柜员郭丽萍" → "柜员乙" (员工乙 elsewhere).
        words = _JOB_WORDS if label.startswith(_ROLE_WORD["staff"]) else (label[:2],)
        pattern = re.compile("(" + "|".join(words) + ")?" + re.escape(name))

        def named(match: re.Match[str], label: str = label) -> str:
            counts["name"] += 1
            prefix = match.group(1)
            return prefix + label[2:] if prefix else label

        text = pattern.sub(named, text)
    by_surname: dict[str, set[str]] = {}
    for name, label in labels.items():
        if _is_cjk(name):
            by_surname.setdefault(surname_of(name), set()).add(label)

    def honorific(match: re.Match[str]) -> str:
        surname, form = match.group(1), match.group(2)
        start = match.start()
        if start and match.string[start - 1 : start + 1] in _WORDS:
            return match.group(0)
        owners = by_surname.get(surname, set())
        if surname in _AMBIGUOUS and not owners:
            return match.group(0)
        counts["name"] += 1
        if len(owners) == 1:
            return next(iter(owners))
        return "某某" if form.startswith("某") else "某" + form

    text = _HONORIFIC.sub(honorific, text)

    def field_name(match: re.Match[str]) -> str:
        counts["name"] += 1
        return match.group(1) + match.group(2) + "某某"

    return _FIELD_NAME.sub(field_name, text)


def _numbers(text: str, counts: Counter[str]) -> str:
    def personal(match: re.Match[str]) -> str:
        found = classify_number(match.group(0))
        if found is None:
            return match.group(0)
        counts[found[0]] += 1
        return PLACEHOLDER[found[0]]

    text = _replace(_CASE_NUMBER, text, "case_number", counts, PLACEHOLDER["case_number"])
    text = _replace(_EMAIL, text, "email", counts, PLACEHOLDER["email"])
    text = NUMBER.sub(personal, text)
    text = _replace(_LANDLINE, text, "landline", counts, PLACEHOLDER["landline"])
    text = _replace(_LONG_DIGITS, text, "account", counts, PLACEHOLDER["account"])
    return _replace(_TAIL, text, "card_tail", counts, r"\1××××")


def scrub(text: str, known: Known) -> Result:
    """``text`` with the known people, personal numbers and addresses replaced (dates untouched).

    Idempotent: a placeholder never matches again, so an edited draft can be scrubbed as often as it is
    saved."""
    counts: Counter[str] = Counter()
    if not text:
        return Result(text or "", counts)
    out = _known_values(text, known, counts)
    out = _names(out, known, counts)
    out = _numbers(out, counts)
    out = _replace(_ADDRESS, out, "address", counts, PLACEHOLDER["address"])
    return Result(out, counts)


def date_offset(rng: random.Random) -> int:
    """A per-entry shift in days: back by 4 to 52 whole weeks (never zero, never into the future)."""
    return -7 * rng.randint(4, 52)


def _nearest_year(month: int, day: int, reference: date) -> date | None:
    """The date with this month and day nearest ``reference`` (a year-less "3月15日" in a case)."""
    best: date | None = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - reference).days) < abs((best - reference).days):
            best = candidate
    return best


def _pad(original: str, value: int) -> str:
    return f"{value:02d}" if len(original) == 2 and original.startswith("0") else str(value)


def shift_dates(text: str, offset_days: int, reference: date) -> tuple[str, int]:
    """``text`` with every written date moved by ``offset_days`` (a multiple of 7: see the module's
    note), and how many were moved. An impossible date ("2月30日") is left as written."""
    if not text or not offset_days:
        return text or "", 0
    delta = timedelta(days=offset_days)
    moved = 0

    def full(match: re.Match[str]) -> str:
        nonlocal moved
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3))) + delta
        except (ValueError, OverflowError):
            return match.group(0)
        moved += 1
        return f"{day.year}年{day.month}月{day.day}{match.group(4)}"

    def iso(match: re.Match[str]) -> str:
        nonlocal moved
        try:
            day = date(int(match.group(1)), int(match.group(3)), int(match.group(4))) + delta
        except (ValueError, OverflowError):
            return match.group(0)
        moved += 1
        sep = match.group(2)
        return f"{day.year}{sep}{_pad(match.group(3), day.month)}{sep}{_pad(match.group(4), day.day)}"

    def month_day(match: re.Match[str]) -> str:
        nonlocal moved
        found = _nearest_year(int(match.group(1)), int(match.group(2)), reference)
        if found is None:
            return match.group(0)
        moved += 1
        day = found + delta
        return f"{day.month}月{day.day}{match.group(3)}"

    text = _DATE_FULL.sub(full, text)
    text = _DATE_ISO.sub(iso, text)
    return _DATE_MD.sub(month_day, text), moved


def anonymise(text: str, known: Known, offset_days: int, reference: date) -> Result:
    """Scrub ``text`` and shift its dates: what a draft written from a case is made of."""
    result = scrub(text, known)
    shifted, moved = shift_dates(result.text, offset_days, reference)
    if moved:
        result.counts["date"] += moved
    return Result(shifted, result.counts)


def leftovers(texts: Iterable[str], known: Known) -> Counter[str]:
    """What scrubbing would still replace in ``texts`` (empty when they are clean): the check before
    an entry is published, in case a field reached the draft some other way."""
    total: Counter[str] = Counter()
    for text in texts:
        total += scrub(text, known).counts
    return total
