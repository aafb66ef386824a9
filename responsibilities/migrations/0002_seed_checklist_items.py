"""The three checklists of the trial measures (乐师院委组〔2025〕10号, Annexes 1-3), in their own words.

Each item: code, checklist, number, title, text (the seed's Chinese, verbatim), how it is met (rule), the
records that meet it, and a default cadence that the organisation department may change.
"""

from django.db import migrations

# (code, checklist, number, title, text, rule, record types, cadence, exempt under Art. 6)
ITEMS = [
    (
        "A1.1",
        "origin",
        1,
        "抓督促报到",
        "及时掌握党员外出流动情况，做好行前教育及流出登记，督促其向流入地（单位）党支部或流动党员党组织报到。"
        "督促符合条件的及时转移正式组织关系。",
        "outflow_reporting",
        ["outflow_registration", "arrival_report"],
        "once",
        False,
    ),
    (
        "A1.2",
        "origin",
        2,
        "抓定期联系",
        "加强与流入地（单位）党支部或流动党员党组织联系，通过入户走访、电话联系、线上互动等方式，了解流出党员表现情况。",
        "records",
        ["contact"],
        "quarter",
        False,
    ),
    (
        "A1.3",
        "origin",
        3,
        "抓考察转正",
        "了解预备党员外出期间的表现，按规定做好预备党员转正工作。",
        "probation",
        ["probation_conduct", "probation_conversion"],
        "half_year",
        False,
    ),
    (
        "A1.4",
        "origin",
        4,
        "抓学习教育",
        "组织流出党员开展线上学习，利用其外出返回等时机组织参加组织生活或教育培训。",
        "records",
        ["org_life", "training"],
        "half_year",
        True,
    ),
    (
        "A1.5",
        "origin",
        5,
        "抓作用发挥",
        "引导流出党员发挥作用，在校地党建联建、科技赋能、教育服务、实践育人等方面发挥先锋模范作用。"
        "鼓励有条件有意愿，且暂未就业的毕业生流出党员返乡创业就业。",
        "records",
        ["role_activity"],
        "year",
        True,
    ),
    (
        "A1.6",
        "origin",
        6,
        "抓激励关怀",
        "做好流出师生党员的思想帮扶工作。帮助解决流出师生党员及其家庭实际困难。",
        "records",
        ["care_visit"],
        "year",
        False,
    ),
    (
        "A1.7",
        "origin",
        7,
        "抓监督管理",
        "发现问题及时批评教育、督促改正，对不合格党员依规进行组织处置，并向流入地（单位）党支部通报。",
        "follow_up",
        ["supervision"],
        "as_needed",
        False,
    ),
    (
        "A2.1",
        "destination",
        1,
        "抓及时纳管",
        "及时掌握流入党员情况，做好流入师生党员登记、接收并纳入党支部管理，不得设置限制条件；"
        "对转移正式组织关系的，按规定及时办理接收手续。",
        "inflow_intake",
        ["inflow_registration"],
        "once",
        False,
    ),
    (
        "A2.2",
        "destination",
        2,
        "抓常态联系",
        "确定专人与流入师生党员保持联系，加强与流出地（单位）党支部的沟通联系，及时反馈现实表现情况。",
        "records",
        ["contact"],
        "quarter",
        False,
    ),
    (
        "A2.3",
        "destination",
        3,
        "抓日常教育",
        "组织流入师生党员参加组织生活，为流入党员发挥作用提供有效载体。",
        "records",
        ["org_life", "training"],
        "half_year",
        True,
    ),
    (
        "A2.4",
        "destination",
        4,
        "抓关怀服务",
        "做好流入师生党员关怀帮扶工作，结合实际提供创业就业、技能培训、权益保障等服务。",
        "records",
        ["care_visit"],
        "year",
        False,
    ),
    (
        "A2.5",
        "destination",
        5,
        "抓民主评议",
        "经商流出地（单位）党支部，对流入党员开展民主评议，并及时反馈评议结果。",
        "records",
        ["evaluation"],
        "year",
        False,
    ),
    (
        "A2.6",
        "destination",
        6,
        "抓监督管理",
        "拓宽了解流入师生党员日常表现途径，加强流入党员日常监督，发现党员有苗头性倾向性问题的，及时进行提醒谈话；"
        "对发现有不合格情形的流入党员，按照规定向其正式组织关系所在党支部提出启动组织处置的建议。",
        "follow_up",
        ["supervision"],
        "as_needed",
        False,
    ),
    (
        "A3.1",
        "member",
        1,
        "行前要报告",
        "外出前向正式组织关系所在的二级党组织报告，及时登记联系方式、流入地点、工作单位、外出时间等信息。",
        "departure_report",
        ["departure_report"],
        "once",
        False,
    ),
    (
        "A3.2",
        "member",
        2,
        "流入要报到",
        "到流入地（单位）后主动亮明党员身份，及时向流入地（单位）党支部或流动党员党组织报到，积极参加党的组织生活，"
        "按照规定交纳党费，完成党组织所分配的工作。",
        "arrival_and_dues",
        ["arrival_report", "dues"],
        "quarter",
        False,
    ),
    (
        "A3.3",
        "member",
        3,
        "平常要联系",
        "主动与流出地（单位）党支部保持联系，及时汇报思想、工作和参加党的组织生活情况。",
        "records",
        ["thought_report"],
        "quarter",
        False,
    ),
    (
        "A3.4",
        "member",
        4,
        "变化要汇报",
        "外出返回或外出地点、就业单位、居住地、联系方式等发生变化时，及时向流出地（单位）党支部和有关党组织报告。",
        "records",
        ["change_report"],
        "as_needed",
        False,
    ),
    (
        "A3.5",
        "member",
        5,
        "作用要发挥",
        "在生产、工作、学习和社会生活中当先锋、作表率，积极参与流入地发展治理和教育教学活动，"
        "以教育家精神推动教育事业发展和乡村全面振兴。",
        "records",
        ["role_activity"],
        "year",
        True,
    ),
]


def seed(apps, schema_editor):
    Item = apps.get_model("responsibilities", "ResponsibilityItem")
    for code, checklist, number, title, text, rule, record_types, cadence, exempt in ITEMS:
        Item.objects.update_or_create(
            code=code,
            defaults={
                "checklist": checklist,
                "number": number,
                "title": title,
                "text": text,
                "rule": rule,
                "record_types": record_types,
                "cadence": cadence,
                "exempt_applies": exempt,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("responsibilities", "ResponsibilityItem").objects.filter(
        code__in=[row[0] for row in ITEMS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("responsibilities", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
