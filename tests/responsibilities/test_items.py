"""The checklists come from a data migration, in the seed's own words, and only the department edits them."""

import pytest
from django.urls import reverse
from django.utils import translation

from responsibilities import services
from responsibilities.models import ResponsibilityItem
from responsibilities.services import ChecklistError

# Copied from shared/seed/000_80b798ae318b1e5f.txt, Annexes 1-3 (the items' numbers stripped).
ANNEX_1 = """抓督促报到。及时掌握党员外出流动情况，做好行前教育及流出登记，督促其向流入地（单位）党支部或流动党员党组织报到。督促符合条件的及时转移正式组织关系。
抓定期联系。加强与流入地（单位）党支部或流动党员党组织联系，通过入户走访、电话联系、线上互动等方式，了解流出党员表现情况。
抓考察转正。了解预备党员外出期间的表现，按规定做好预备党员转正工作。
抓学习教育。组织流出党员开展线上学习，利用其外出返回等时机组织参加组织生活或教育培训。
抓作用发挥。引导流出党员发挥作用，在校地党建联建、科技赋能、教育服务、实践育人等方面发挥先锋模范作用。鼓励有条件有意愿，且暂未就业的毕业生流出党员返乡创业就业。
抓激励关怀。做好流出师生党员的思想帮扶工作。帮助解决流出师生党员及其家庭实际困难。
抓监督管理。发现问题及时批评教育、督促改正，对不合格党员依规进行组织处置，并向流入地（单位）党支部通报。"""
ANNEX_2 = """抓及时纳管。及时掌握流入党员情况，做好流入师生党员登记、接收并纳入党支部管理，不得设置限制条件；对转移正式组织关系的，按规定及时办理接收手续。
抓常态联系。确定专人与流入师生党员保持联系，加强与流出地（单位）党支部的沟通联系，及时反馈现实表现情况。
抓日常教育。组织流入师生党员参加组织生活，为流入党员发挥作用提供有效载体。
抓关怀服务。做好流入师生党员关怀帮扶工作，结合实际提供创业就业、技能培训、权益保障等服务。
抓民主评议。经商流出地（单位）党支部，对流入党员开展民主评议，并及时反馈评议结果。
抓监督管理。拓宽了解流入师生党员日常表现途径，加强流入党员日常监督，发现党员有苗头性倾向性问题的，及时进行提醒谈话；对发现有不合格情形的流入党员，按照规定向其正式组织关系所在党支部提出启动组织处置的建议。"""
ANNEX_3 = """行前要报告。外出前向正式组织关系所在的二级党组织报告，及时登记联系方式、流入地点、工作单位、外出时间等信息。
流入要报到。到流入地（单位）后主动亮明党员身份，及时向流入地（单位）党支部或流动党员党组织报到，积极参加党的组织生活，按照规定交纳党费，完成党组织所分配的工作。
平常要联系。主动与流出地（单位）党支部保持联系，及时汇报思想、工作和参加党的组织生活情况。
变化要汇报。外出返回或外出地点、就业单位、居住地、联系方式等发生变化时，及时向流出地（单位）党支部和有关党组织报告。
作用要发挥。在生产、工作、学习和社会生活中当先锋、作表率，积极参与流入地发展治理和教育教学活动，以教育家精神推动教育事业发展和乡村全面振兴。"""


@pytest.mark.parametrize(
    ("checklist", "prefix", "annex"),
    [("origin", "A1", ANNEX_1), ("destination", "A2", ANNEX_2), ("member", "A3", ANNEX_3)],
)
def test_the_migration_seeds_each_annex_in_the_seeds_own_words(db, checklist, prefix, annex):
    items = list(ResponsibilityItem.objects.filter(checklist=checklist).order_by("number"))
    expected = annex.splitlines()
    assert len(items) == len(expected)
    for number, (item, line) in enumerate(zip(items, expected, strict=True), start=1):
        assert item.code == f"{prefix}.{number}" and item.number == number
        assert f"{item.title}。{item.text}" == line


def test_there_are_exactly_7_6_and_5_items(db):
    counts = {
        c: ResponsibilityItem.objects.filter(checklist=c).count() for c in ("origin", "destination", "member")
    }
    assert counts == {"origin": 7, "destination": 6, "member": 5}
    assert ResponsibilityItem.objects.count() == 18


def test_the_defaults_follow_the_measures(db):
    cadence = dict(ResponsibilityItem.objects.values_list("code", "cadence"))
    assert cadence["A1.2"] == cadence["A2.2"] == "quarter"  # contact every quarter
    assert cadence["A1.4"] == cadence["A2.3"] == "half_year"  # org life and education every half year
    assert cadence["A2.5"] == "year"  # democratic evaluation every year
    assert cadence["A1.1"] == cadence["A2.1"] == cadence["A3.1"] == "once"
    exempt = set(ResponsibilityItem.objects.filter(exempt_applies=True).values_list("code", flat=True))
    assert {"A1.4", "A2.3"} <= exempt and "A1.2" not in exempt


def test_the_department_changes_an_items_cadence_and_wording(orgdept):
    item = ResponsibilityItem.objects.get(code="A1.2")
    services.item_update(
        item=item, actor=orgdept, data={"title": "抓定期联系", "text": "每月联系一次。", "cadence": "month"}
    )
    item.refresh_from_db()
    assert (item.cadence, item.text) == ("month", "每月联系一次。")


def test_an_item_met_once_per_outflow_cannot_become_quarterly(orgdept):
    item = ResponsibilityItem.objects.get(code="A1.1")
    with translation.override("en"), pytest.raises(ChecklistError, match="can only be kept Once per outflow"):
        services.item_update(item=item, actor=orgdept, data={"cadence": "quarter"})
    item.refresh_from_db()
    assert item.cadence == "once"


def test_a_secretary_cannot_edit_the_checklists(sec_a):
    with pytest.raises(ChecklistError):
        services.item_update(
            item=ResponsibilityItem.objects.get(code="A1.2"), actor=sec_a, data={"cadence": "year"}
        )


def test_the_department_edits_an_item_through_its_page(as_user, cast):
    item = ResponsibilityItem.objects.get(code="A2.5")
    client = as_user("orgdept")
    page = client.get(reverse("responsibilities:item_edit", args=[item.pk])).content.decode()
    assert "抓民主评议" in page and 'value="half_year"' in page
    supervision = ResponsibilityItem.objects.get(code="A1.7")
    page = client.get(reverse("responsibilities:item_edit", args=[supervision.pk])).content.decode()
    assert 'value="as_needed"' in page and 'value="quarter"' not in page  # only what its rule allows
    response = client.post(
        reverse("responsibilities:item_edit", args=[item.pk]),
        {"title": item.title, "text": item.text, "cadence": "half_year"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.cadence == "half_year"
    listing = client.get(reverse("responsibilities:item_list")).content.decode()
    assert "经商流出地（单位）党支部" in listing
