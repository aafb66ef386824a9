"""Demo university: organisations, people and accounts for `seed_demo`. Deterministic (seeded random)."""

import random
from datetime import date, timedelta

from ..identity import id_number_check_char
from ..models import Category, Gender, MobilityReason, Standing, UnknownCause

DEMO_PASSWORD = "flowparty-demo"
COMMITTEE = ("LSNU", "中共乐山师范学院委员会")

# (code, name, short name, [(branch code suffix, branch name)])
SECONDARY_ORGANIZATIONS = [
    (
        "S01",
        "文学与新闻学院党委",
        "文新学院",
        ["教工党支部", "本科生第一党支部", "本科生第二党支部", "研究生党支部"],
    ),
    ("S02", "数理学院党委", "数理学院", ["教工党支部", "本科生党支部", "研究生党支部"]),
    ("S03", "外国语学院党委", "外国语学院", ["教工党支部", "本科生党支部"]),
    ("S04", "计算机科学学院党委", "计科学院", ["教工党支部", "本科生第一党支部", "本科生第二党支部"]),
    ("S05", "教育科学学院党委", "教科学院", ["教工党支部", "本科生党支部", "专升本学生党支部"]),
    ("S06", "机关党委", "机关党委", ["党政办党支部", "组织人事党支部", "教务科研党支部"]),
    ("S07", "离退休工作党委", "离退休党委", ["离休党支部", "退休第一党支部", "退休第二党支部"]),
    ("S08", "体育学院党总支", "体育学院", ["教工党支部", "学生党支部"]),
]
RETIRED_ORGANIZATION = ("S90", "原继续教育学院党总支", "原继教院", ["教工党支部"])

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红娥建文辉力斌宇浩凯健俊帆鹏晨雪梅琳欣怡婷晓燕颖思雨涵博宁瑶璐"
ORIGIN_ORGANIZATIONS = [
    "中共四川师范大学委员会",
    "中共西南交通大学委员会",
    "中共成都市武侯区委员会",
    "中共眉山市东坡区委员会",
    "中共重庆师范大学委员会",
]
EXEMPT_REASONS = ["年老体弱，行动不便", "身患重病", "长期卧床，失能"]

# The named demo accounts: username -> (full name, number, role, organisation code, branch index)
ACCOUNTS = {
    "orgdept": ("组织部 李敏", None, "org_department", None, None),
    "sec_a": ("张建华", "T0100001", "secondary_secretary", "S01", 0),
    "sec_b": ("刘志强", "T0200001", "secondary_secretary", "S02", 0),
    "branch_a1": ("陈晓燕", "T0100002", "branch_secretary", "S01", 1),
    "member_a": ("王思雨", "T0100003", None, "S01", 0),
}


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def id_number(rng: random.Random, born: date, gender: str) -> str:
    area = rng.choice(["511102", "511111", "510104", "510107", "511002", "500103"])
    seq = rng.randrange(0, 99)
    sex_digit = rng.choice("13579" if gender == Gender.MALE else "02468")
    first17 = f"{area}{born:%Y%m%d}{seq:02d}{sex_digit}"
    return first17 + id_number_check_char(first17)


CATEGORY_WEIGHTS = [
    (Category.STUDENT, 40),
    (Category.TEACHER, 22),
    (Category.GRADUATE, 10),
    (Category.RETIREE, 10),
    (Category.NEW_TEACHER, 6),
    (Category.UPGRADE_STUDENT, 6),
    (Category.OTHER_STAFF, 6),
]
REASONS_BY_CATEGORY = {
    Category.TEACHER: [
        MobilityReason.DEGREE_STUDY,
        MobilityReason.SECONDMENT,
        MobilityReason.VILLAGE_ASSISTANCE,
    ],
    Category.STUDENT: [MobilityReason.PLACEMENT_TEACHING, MobilityReason.EXCHANGE_STUDY],
    Category.GRADUATE: [MobilityReason.GRADUATE_EXAMS],
    Category.NEW_TEACHER: [MobilityReason.NEW_TEACHER_UNTRANSFERRED],
    Category.UPGRADE_STUDENT: [MobilityReason.UPGRADE_STUDENT_UNTRANSFERRED],
    Category.RETIREE: [MobilityReason.RETIREE_ELSEWHERE],
    Category.OTHER_STAFF: [MobilityReason.UNCERTAIN],
}
STUDENT_LIKE = {Category.STUDENT, Category.GRADUATE, Category.UPGRADE_STUDENT}


def member_fields(rng: random.Random, *, index: int, today: date, category: str | None = None) -> dict:
    """A realistic member (without organisation fields), deterministic for a given rng state."""
    category = category or rng.choices([c for c, _ in CATEGORY_WEIGHTS], [w for _, w in CATEGORY_WEIGHTS])[0]
    gender = rng.choice([Gender.MALE, Gender.FEMALE])
    if category in STUDENT_LIKE:
        age = rng.randint(19, 25)
    elif category == Category.RETIREE:
        age = rng.randint(61, 88)
    else:
        age = rng.randint(26, 58)
    born = date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
    probationary = category in STUDENT_LIKE and rng.random() < 0.3
    joined_on = (
        today - timedelta(days=rng.randint(60, 330))
        if probationary
        else date(
            min(today.year - 1, born.year + rng.randint(19, 30)), rng.randint(1, 12), rng.randint(1, 28)
        )
    )
    mobile = rng.random() < (0.9 if category in {Category.NEW_TEACHER, Category.UPGRADE_STUDENT} else 0.22)
    prefix = "S" if category in STUDENT_LIKE else ("R" if category == Category.RETIREE else "T")
    fields = {
        "name": person_name(rng),
        "gender": gender,
        "category": category,
        "phone": "1" + rng.choice("3589") + "".join(str(rng.randrange(10)) for _ in range(9)),
        "standing": Standing.PROBATIONARY if probationary else Standing.FULL,
        "joined_on": joined_on,
        "mobility_reason": rng.choice(REASONS_BY_CATEGORY[category]) if mobile else "",
        "number_prefix": prefix,
        "id_number": id_number(rng, born, gender) if rng.random() < 0.6 else "",
    }
    if category == Category.RETIREE and age > 80 and rng.random() < 0.5:
        fields["is_exempt"] = True
        fields["exempt_reason"] = rng.choice(EXEMPT_REASONS)
    if mobile and rng.random() < 0.05:
        fields["whereabouts_unknown"] = True
        fields["whereabouts_unknown_since"] = today - timedelta(days=rng.randint(10, 200))
        fields["whereabouts_unknown_cause"] = rng.choice(
            [
                UnknownCause.MIGRANT_WORK,
                UnknownCause.GRADUATE_UNKNOWN,
                UnknownCause.CHANGED_EMPLOYER,
                UnknownCause.MOVED,
            ]
        )
    return fields
