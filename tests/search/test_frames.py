"""Frames: specifics become 【N】/【年】/【单位】 slots, the wording stays exactly as written."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drafter.search.frames import SLOT_N, SLOT_UNIT, SLOT_YEAR, frame_of, unit_place_names


@pytest.mark.parametrize(
    ("text", "frame"),
    [
        # figures keep their units and modifiers
        ("完成技术交易额23亿元，同比增加14%。", "完成技术交易额【N】亿元，同比增加【N】%。"),
        ("新认定国高企162家，同比增长29.6%", "新认定国高企【N】家，同比增长【N】%"),
        ("1-9月，我区高新技术产业增加值263亿元", "【N】-【N】月，我区高新技术产业增加值【N】亿元"),
        ("对接辖区100余家重点企业", "对接辖区【N】余家重点企业"),
        ("发放政策宣传册约2,000份", "发放政策宣传册约【N】份"),
        ("研发投入强度达３.１２%", "研发投入强度达【N】%"),
        # years: the slot includes 年
        ("2020年以来，科技工作取得新提升", "【年】以来，科技工作取得新提升"),
        ("入选2019年度科技部创新人才推进计划3人", "入选【年】度科技部创新人才推进计划【N】人"),
        ("编制“十四五”规划（2021-2025年）", "编制“十四五”规划（【年】-【年】）"),
        ("2022年全国科普日暨科普宣传周", "【年】全国科普日暨科普宣传周"),
        # the scraped placeholders are slots too
        ("全区现有高新技术企业xx家，入库x.x亿元", "全区现有高新技术企业【N】家，入库【N】亿元"),
        ("xxxx年全社会研发投入强度达x.xx%", "【年】全社会研发投入强度达【N】%"),
        ("20xx年度xx县科技进步奖", "【年】度【单位】科技进步奖"),
        ("x市维日康生物科技有限公司", "【单位】"),
        # names are taken whole: a place jieba does not know, a village, a company, an official
        ("白雀寺镇木匣沟村", "【单位】"),
        ("位于白雀寺镇木匣沟村的项目", "位于【单位】的项目"),
        ("成功引进深圳朗意医疗科技有限公司落户", "成功引进【单位】落户"),
        ("局长王建国带队调研", "局长【姓名】带队调研"),
        ("召开现场会，张建国副县长出席", "召开现场会，【姓名】副县长出席"),
        ("李明局长、王芳副局长带队调研", "【姓名】局长、【姓名】副局长带队调研"),
        # place names, however they are glued into the sentence
        ("积极推进拱墅区大运河数智未来城建设", "积极推进【单位】大运河数智未来城建设"),
        ("阜阳市建设国家创新型城市", "【单位】建设国家创新型城市"),
        ("余杭区良渚街道新建科普馆", "【单位】新建科普馆"),
        ("杭州市拱墅区科学技术局发布", "【单位】科学技术局发布"),
        ("浙江省科技厅推荐", "【单位】科技厅推荐"),
        ("我代表上海市人民政府", "我代表【单位】人民政府"),
        ("乌鲁木齐市经济技术开发区", "【单位】经济技术开发区"),
    ],
)
def test_specifics_become_slots(text: str, frame: str) -> None:
    assert frame_of(text) == frame


@pytest.mark.parametrize(
    "text",
    [
        "推动全区科技综合实力取得新提升，我市争创国家级创新型城市",
        "支持企业上市，开拓国际市场，完善区域创新体系",
        "推进园区、社区、示范区、开发区和高新区建设",
        "高新区区长出席会议，科技局局长主持",
        "组织申报省级、市级、区级项目，县域经济，乡村振兴，城乡融合，乡镇街道",
        "推进5G、G20、3D打印和R&D经费统计",
        "全省各地市中率先启动，各县区、各街道联动",
        "新认定国高企通过省专家评审，推荐市重点实验室，位居市第一，入选省“万人计划”",
        "浙江大学与企业共建研究院",
        "通过跨村跨镇服务，扩大先进适用技术的覆盖面",
        "建设花园城市，推动各县市区联动，建设现代化大都市",
        "深化改革深水区，新建大型灌区，坚持产业兴市",
    ],
)
def test_common_words_and_technical_names_are_kept(text: str) -> None:
    assert frame_of(text) == text


@pytest.mark.parametrize(
    ("text", "units", "frame"),
    [
        ("区科技局以对标“重要窗口”模范生为指引", ["区科技局"], "【单位】以对标“重要窗口”模范生为指引"),
        (
            "颍东区科技局为颍东经济高质量发展提供科技支撑",
            ["颍东区科技局"],
            "【单位】为【单位】经济高质量发展提供科技支撑",
        ),
        ("七台河市第十二届人民代表大会", ["七台河市人民政府"], "【单位】第十二届人民代表大会"),
    ],
)
def test_the_documents_unit_and_its_place_become_slots(text: str, units: list[str], frame: str) -> None:
    assert frame_of(text, units) == frame


@pytest.mark.parametrize(
    ("unit", "names"),
    [
        ("颍东区科技局", {"颍东区科技局", "颍东区", "颍东"}),
        ("杭州市拱墅区科学技术局", {"杭州市拱墅区科学技术局", "杭州市", "杭州", "拱墅区", "拱墅"}),
        ("区科技局", {"区科技局"}),
        ("全市科技局", {"全市科技局"}),
        ("", set()),
    ],
)
def test_unit_place_names(unit: str, names: set[str]) -> None:
    assert unit_place_names(unit) == names


def _as_pattern(frame: str) -> re.Pattern[str]:
    """A regex that matches any text the frame could have been made from."""
    parts = re.split(f"({re.escape(SLOT_N)}|{re.escape(SLOT_YEAR)}|{re.escape(SLOT_UNIT)})", frame)
    return re.compile("".join(".+?" if p in (SLOT_N, SLOT_YEAR, SLOT_UNIT) else re.escape(p) for p in parts))


ALPHABET = list(
    "科技局推进全区我市城园上场级年月度的工作新建县镇街道乡村颍东拱墅阜阳，。、%（）-.xX0123456789 "
)


@given(st.text(alphabet=ALPHABET, max_size=60))
def test_wording_outside_slots_is_kept_exactly(text: str) -> None:
    frame = frame_of(text, ["颍东区科技局"])
    assert _as_pattern(frame).fullmatch(text), frame


def test_a_seed_sentence_keeps_its_shape() -> None:
    text = "截至目前，新认定国高企通过省专家评审162家，同比增长29.6%；推荐“省科小”461家，同比增长43.6%。"
    frame = frame_of(text)
    assert (
        frame
        == "截至目前，新认定国高企通过省专家评审【N】家，同比增长【N】%；推荐“省科小”【N】家，同比增长【N】%。"
    )
    assert not re.search(r"\d", frame)
