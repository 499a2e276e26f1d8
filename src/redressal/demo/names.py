"""Realistic Chinese (and a few foreign) personal data for the demo: names, ID numbers, phones, cards."""

from __future__ import annotations

import random
from datetime import date, timedelta

# Common surnames, most frequent first (weights roughly follow their share of the population).
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范"
    "金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官")

# Given names by generation: the elderly were named in the 1930s–60s, the young in the 1990s–2000s.
GIVEN_OLD_M = (
    "建国",
    "国庆",
    "德华",
    "志强",
    "建华",
    "卫国",
    "学军",
    "振华",
    "永福",
    "长林",
    "保国",
    "文斌",
    "福生",
    "玉林",
    "树林",
    "宝山",
    "洪涛",
    "金生",
    "明华",
    "国栋",
)
GIVEN_OLD_F = (
    "秀英",
    "桂兰",
    "淑珍",
    "玉兰",
    "凤英",
    "秀兰",
    "桂英",
    "淑英",
    "玉梅",
    "秀珍",
    "兰英",
    "素芬",
    "美华",
    "丽华",
    "春梅",
    "翠花",
    "金凤",
    "月娥",
    "淑华",
    "玉珍",
)
GIVEN_MID_M = (
    "伟",
    "强",
    "磊",
    "军",
    "勇",
    "杰",
    "涛",
    "斌",
    "超",
    "明",
    "刚",
    "鹏",
    "海波",
    "志刚",
    "建军",
    "晓东",
    "俊峰",
    "立新",
    "红军",
    "春雷",
)
GIVEN_MID_F = (
    "静",
    "丽",
    "敏",
    "燕",
    "艳",
    "娟",
    "霞",
    "芳",
    "婷",
    "红梅",
    "晓燕",
    "海燕",
    "丽娟",
    "雪梅",
    "春燕",
    "晓玲",
    "慧敏",
    "凤霞",
    "文静",
    "美玲",
)
GIVEN_YOUNG_M = (
    "浩然",
    "子轩",
    "宇航",
    "俊杰",
    "浩宇",
    "子豪",
    "一鸣",
    "嘉豪",
    "博文",
    "天佑",
    "梓睿",
    "明轩",
    "思远",
    "宇轩",
    "泽宇",
    "家乐",
    "晨阳",
    "皓轩",
    "逸凡",
    "锦程",
)
GIVEN_YOUNG_F = (
    "欣怡",
    "梓涵",
    "诗涵",
    "雨桐",
    "子涵",
    "可馨",
    "思琪",
    "佳怡",
    "一诺",
    "语嫣",
    "梦瑶",
    "雨萱",
    "若曦",
    "欣然",
    "紫萱",
    "静怡",
    "晓彤",
    "心怡",
    "佳琪",
    "诗雨",
)

FOREIGN_NAMES = (
    "David Miller",
    "Sarah Johnson",
    "Thomas Müller",
    "Maria Garcia",
    "James Wilson",
    "Emma Brown",
    "Lucas Martin",
    "Olivia Taylor",
    "Kenji Tanaka",
    "Anna Kowalski",
    "Daniel Smith",
    "Sophie Laurent",
)

COMPANY_WORDS = ("华信", "鼎盛", "恒通", "宏达", "瑞丰", "嘉禾", "远航", "新元", "博雅", "天成", "汇智", "众邦")
COMPANY_KINDS = (
    "贸易有限公司",
    "科技有限公司",
    "餐饮管理有限公司",
    "建筑工程有限公司",
    "物流有限公司",
    "文化传媒有限公司",
)

# Districts with their GB/T 2260 code, per branch city (the first six places of an ID number).
CITY_DISTRICTS: dict[str, tuple[tuple[str, str], ...]] = {
    "BJ": (
        ("110101", "东城区"),
        ("110102", "西城区"),
        ("110105", "朝阳区"),
        ("110108", "海淀区"),
        ("110106", "丰台区"),
    ),
    "SH": (
        ("310115", "浦东新区"),
        ("310104", "徐汇区"),
        ("310106", "静安区"),
        ("310101", "黄浦区"),
        ("310112", "闵行区"),
    ),
    "GZ": (
        ("440106", "天河区"),
        ("440104", "越秀区"),
        ("440105", "海珠区"),
        ("440113", "番禺区"),
        ("440111", "白云区"),
    ),
    "SZ": (
        ("440304", "福田区"),
        ("440305", "南山区"),
        ("440303", "罗湖区"),
        ("440306", "宝安区"),
        ("440307", "龙岗区"),
    ),
    "CD": (
        ("510104", "锦江区"),
        ("510107", "武侯区"),
        ("510105", "青羊区"),
        ("510108", "成华区"),
        ("510106", "金牛区"),
    ),
    "WH": (
        ("420103", "江汉区"),
        ("420106", "武昌区"),
        ("420111", "洪山区"),
        ("420105", "汉阳区"),
        ("420102", "江岸区"),
    ),
}
CITY_NAMES = {"BJ": "北京市", "SH": "上海市", "GZ": "广州市", "SZ": "深圳市", "CD": "成都市", "WH": "武汉市"}
STREETS = (
    "建国路",
    "人民路",
    "中山路",
    "解放路",
    "和平街",
    "长安街",
    "南京路",
    "天府大道",
    "解放大道",
    "深南大道",
    "滨江路",
    "文化路",
    "花园路",
    "光明街",
    "新华路",
    "学府路",
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def id_check_digit(first17: str) -> str:
    """GB 11643-1999 check character (ISO 7064 MOD 11-2)."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def luhn_digit(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def person_name(rng: random.Random, birth_year: int, female: bool) -> str:
    surname = COMPOUND_SURNAMES[rng.randrange(len(COMPOUND_SURNAMES))] if rng.random() < 0.01 else _surname(rng)
    if birth_year < 1962:
        pool = GIVEN_OLD_F if female else GIVEN_OLD_M
    elif birth_year < 1988:
        pool = GIVEN_MID_F if female else GIVEN_MID_M
    else:
        pool = GIVEN_YOUNG_F if female else GIVEN_YOUNG_M
    return surname + pool[rng.randrange(len(pool))]


def _surname(rng: random.Random) -> str:
    # A skewed pick: the first surnames are far more common (王, 李, 张 are ~7 % each).
    i = min(int(rng.paretovariate(1.1)) - 1, len(SURNAMES) - 1) if rng.random() < 0.6 else rng.randrange(len(SURNAMES))
    return SURNAMES[i]


def birth_date(rng: random.Random, today: date, min_age: int, max_age: int) -> date:
    start = date(today.year - max_age - 1, today.month, 1) + timedelta(days=40)
    end = date(today.year - min_age, today.month, 1) - timedelta(days=40)
    return start + timedelta(days=rng.randrange(max((end - start).days, 1)))


def id_number(rng: random.Random, district_code: str, born: date, female: bool) -> str:
    seq = rng.randrange(0, 100) * 10 + rng.randrange(0, 5) * 2 + (0 if female else 1)
    first17 = f"{district_code}{born:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def mobile(rng: random.Random) -> str:
    prefix = ("13", "15", "17", "18", "19", "14", "16")[min(int(rng.random() * 7), 6)]
    return prefix + str(rng.randrange(10)) + f"{rng.randrange(10**8):08d}"


def debit_card(rng: random.Random) -> str:
    partial = "621799" + f"{rng.randrange(10**12):012d}"
    return partial + luhn_digit(partial)


def credit_card(rng: random.Random) -> str:
    partial = "625906" + f"{rng.randrange(10**9):09d}"
    return partial + luhn_digit(partial)


def address(rng: random.Random, branch: str, district: str) -> str:
    return (
        f"{CITY_NAMES[branch]}{district}{STREETS[rng.randrange(len(STREETS))]}{rng.randrange(1, 400)}号"
        f"{rng.randrange(1, 12)}栋{rng.randrange(1, 6)}单元{rng.randrange(1, 30)}{rng.randrange(1, 5):02d}室"
    )


def company_name(rng: random.Random, branch: str) -> str:
    city = CITY_NAMES[branch].removesuffix("市")
    return city + COMPANY_WORDS[rng.randrange(len(COMPANY_WORDS))] + COMPANY_KINDS[rng.randrange(len(COMPANY_KINDS))]


def credit_code(rng: random.Random, district_code: str) -> str:
    """A unified social credit code shape (18 characters) for a company."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "91" + district_code + "".join(alphabet[rng.randrange(len(alphabet))] for _ in range(10))
