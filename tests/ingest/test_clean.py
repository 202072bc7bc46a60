"""Each cleaning step on the quirks of the seed reports, and the whole cleaner on the seeds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drafter.ingest import clean as c
from drafter.ingest.chrome import drop_breadcrumbs, drop_chrome_fragments, drop_chrome_lines

SEED_FILES = sorted((Path(__file__).resolve().parents[2] / "examples" / "corpus").glob("*.txt"))

# Markers that betray site chrome left in a cleaned text.
RE_CHROME_LEFT = re.compile(
    r"当前位置|上一篇|下一篇|相关栏目|本文地址|ICP备|公网安备|经营许可证|上传人|文档编号|_第\d+页|第\d+页 / 共|"
    r"展开阅读全文|点击查看更多|资源描述|由会员分享|小编|欢迎阅读|相关关键词|免责声明|content_\d|导语：|"
    r"^时间[:：]|^标题[:：]|\||返回 下载|相关资源|猜你喜欢|相关搜索|省略\d+字|未完，全文共",
    re.M,
)
RE_PINYIN_LEFT = re.compile(r"[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]*[)）]")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("區(qū)科技局", "區科技局"),
        ("創(chuàng)新驅(qū)動戰(zhàn)略", "創新驅動戰略"),
        ("總結(jié)及思路", "總結及思路"),
        ("創新驅動中心(寧波)", "創新驅動中心(寧波)"),
        ("(一)聚焦", "(一)聚焦"),
        ("R&D(研发)经费", "R&D(研发)经费"),
        ("(ABC) test", "(ABC) test"),
    ],
)
def test_strip_glued_pinyin(text: str, expected: str) -> None:
    assert c.strip_glued_pinyin(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("其中海內外高層次人才項目14個?苿(chuàng)園先后獲評", "其中海內外高層次人才項目14個園先后獲評"),
        ("走出科技金融“新路徑”??偨Y(jié)提煉", "走出科技金融“新路徑”提煉"),
        ("提供解決方案78份?,F(xiàn)場賽有25家", "提供解決方案78份場賽有25家"),
        ("東洲英才創業周環(huán)??萍籍a(chǎn)學研活動", "東洲英才創業周環(huán)學研活動"),
        ("加大研發?jī)x表投入", "加大研發x表投入"),
        ("完善??萍俭w制機(jī)制", "完善制機(jī)制"),
        ("襪子研究所?;輧z絲公司", "襪子研究所絲公司"),
        ("就瓿闪宿r(nóng)村科技", "就瓿闪宿村科技"),
        ("殘留\ufffd\ufffd字符", "殘留字符"),
        ("亂碼??殘留", "亂碼殘留"),
        ("增長14%，同比", "增長14%，同比"),
    ],
)
def test_remove_mojibake_keeps_the_sentence(text: str, expected: str) -> None:
    assert c.remove_mojibake(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("區科技局2020年度工作總結", "区科技局2020年度工作总结"),
        ("規上企業研發費用", "规上企业研发费用"),
        ("区科技局着力推进", "区科技局着力推进"),
    ],
)
def test_to_simplified(text: str, expected: str) -> None:
    assert c.to_simplified(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("重点在五个方面著力推进", "重点在五个方面着力推进"),
        ("找准著力点", "找准着力点"),
        ("著重抓好", "着重抓好"),
        ("著手编制规划", "着手编制规划"),
        ("著眼长远", "着眼长远"),
        ("随著改革深入", "随着改革深入"),
        ("标志著产业发展取得突破", "标志着产业发展取得突破"),
        ("成效显著", "成效显著"),
        ("显著提升", "显著提升"),
        ("著名品牌", "著名品牌"),
        ("拥有著名品牌", "拥有著名品牌"),
        ("著作权登记", "著作权登记"),
        ("成绩卓著", "成绩卓著"),
    ],
)
def test_fix_zhe_only_in_the_verb_sense(text: str, expected: str) -> None:
    assert c.fix_zhe(text) == expected


def test_opencc_leaves_zhe_phrases_for_the_table() -> None:
    assert c.to_simplified("著力推進") == "著力推进"
    assert c.fix_zhe(c.to_simplified("著力推進")) == "着力推进"


@pytest.mark.parametrize(
    "text",
    [
        "增加值263 ……(快文网http://www.hancun.net省略657字,正式会员可完整阅读)…… (四)聚焦人才引培",
        "实现创新 ……(未完,全文共3075字,当前只显示1708字,请阅读下面提示信息。收藏区科技局总结)",
        "工作……（…省略657字，正式会员可完整阅读）……下一段",
    ],
)
def test_truncation_notice_becomes_a_gap_line(text: str) -> None:
    out = c.mark_truncation_gaps(text)
    assert f"\n{c.GAP_MARKER}\n" in out
    assert "省略" not in out
    assert "未完" not in out


def test_gap_marker_survives_cleaning_on_its_own_line() -> None:
    out = c.clean("我区高新技术产业增加值263 ……(省略657字,正式会员可完整阅读)…… (四)聚焦人才引培")
    assert out.split("\n") == ["我区高新技术产业增加值263", c.GAP_MARKER, "（四）聚焦人才引培"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("标题:区科技局2020年度工作总结 |", "区科技局2020年度工作总结 "),
        ("提供支撑。 上一篇:司法局总结 下一篇:城管局总结 相关栏目:科技 年终总结 |", "提供支撑。"),
        ("本文地址:http://www.gzxgg.com/html/244434.html", ""),
        ("文物保护。\n【本文地址:http://www.aiweibaby.com/zuowen/15937090.html】", "文物保护。\n"),
        ("content_2();。", ""),
        ("以下是小编为大家收集的总结范文,仅供参考,大家一起来看看吧。", ""),
        ("《区科技局上半年工作总结》范例,欢迎阅读,希望能够帮助到大家!", ""),
        ("点击查看更多>>", ""),
        ("展开阅读全文", ""),
    ],
)
def test_drop_chrome_fragments(text: str, expected: str) -> None:
    assert drop_chrome_fragments(text).rstrip(" ") == expected.rstrip(" ")


@pytest.mark.parametrize(
    "line",
    [
        "当前位置:公文驿站 > 经验材料 > 区科技局上半年工作总结及下半年工作计划",
        "上传人:夺命阿水 文档编号:164996 上传时间:2023-01-15 格式:DOCX 页数:10 大小:22.60KB",
        "返回 下载 相关 举报",
        "2022年工作总结与2023年工作思路.docx_第1页",
        "第1页 / 共10页",
        "资源描述",
        "《2022年工作总结.docx》由会员分享，可在线阅读，更多相关《2022年工作总结.docx(10页珍藏版)》请在课桌文档上搜索。",
        "相关资源",
        "猜你喜欢",
        "相关搜索",
        "备案号:宁ICP备20000045号-1",
        "经营许可证:宁B2-20210002",
        "宁公网安备 64010402000986号",
        "区科技局上半年工作总结及下半年工作计划相关关键词:科技局 工作计划 工作总结,格式怎么写,欢迎大家阅读分享借鉴。",
        "来源:网络整理 免责声明:本文仅限学习分享,如产生版权问题,请联系我们及时删除。",
        "区科技局上半年工作总结及下半年工作计划》由互联网用户整理提供,转载分享请保留原作者信息,谢谢!",
        "时间:2022-09-06 02:52:07",
        "导语:区科技局年度工作计划一文来源于网友上传,不代表本站观点,若需要原创文章可咨询客服老师,欢迎参考。",
        "下载",
        "打印",
        "全屏",
        "收藏",
        "【字号：",
        "加大",
        "还原",
        "减小",
        "】",
        "相关报道：",
        "来源：河北日报",
        "（来源：青海日报）",
        "编辑：何继红",
        "时间：2026-02-02",
        "2026-02-09 09:45:30",
        "2026年02月10日 07时41分",
        "王正谱作政府工作报告。本报记者 霍艳恩摄",
        "任振鹤作政府工作报告。新甘肃·甘肃日报记者 盛学卿",
        "宁夏日报客户端",
        "分享到微信",
        "扫一扫在手机打开当前页",
        "首页 | 关于我们 | 联系我们 | 网站地图",
    ],
)
def test_chrome_lines_are_dropped(line: str) -> None:
    assert drop_chrome_lines(f"正文第一段。\n{line}\n正文第二段。") == "正文第一段。\n正文第二段。"


@pytest.mark.parametrize(
    "line",
    [
        "技术合同下载量增长30%。",
        "来源于企业的技术需求共征集200项，全部完成对接。",
        "2022年1月12日",
        "各位代表：",
        "相关部门要密切配合，形成工作合力。",
        "新增市级众创空间4家、市级孵化器1家。",
    ],
)
def test_report_lines_are_kept(line: str) -> None:
    text = f"正文第一段。\n{line}\n正文第二段。"
    assert drop_chrome_lines(text) == text


def test_breadcrumb_over_several_lines_is_dropped() -> None:
    text = "首页\n>\n政府信息公开\n>\n政府工作报告\n>\n省政府工作报告\n陕西省2026年政府工作报告\n各位代表："
    assert drop_breadcrumbs(text) == "陕西省2026年政府工作报告\n各位代表："


def test_page_chunks_are_joined_where_they_split_words() -> None:
    chunk = "开展数据监测评估，摸清全区研发投入底数，促进企业上规纳统。" * 6
    text = f"1、{chunk}对重点企业进行全覆盖走访，实现亿\n\n2、元以上制造业企业无研发活动清零。{chunk}\n\n3、、推荐清单复核。{chunk}"
    out = c.join_page_chunks(text)
    assert "实现亿元以上制造业企业" in out
    assert "清零。" + chunk + "、推荐清单复核" in out
    assert "2、" not in out
    assert "3、" not in out


@pytest.mark.parametrize(
    "text",
    [
        "1、申请专利资助共215件。\n2、由市知识产权局牵头开展宣传活动。\n3、目前完成技术交易合同数20项。",
        "1、加强政治学习，牢固树立群众观念。一年来，我们坚持每周二上午组织全体干部职工学习。\n正文。\n2、创新学习方法。",
    ],
)
def test_real_numbered_lists_are_not_joined(text: str) -> None:
    assert c.join_page_chunks(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020年以来,区科技局", "2020年以来，区科技局"),
        ("1-9月,我区", "1-9月，我区"),
        ("同比增长14%,占比", "同比增长14%，占比"),
        ("取得新提升!区创新资源", "取得新提升！区创新资源"),
        ("技术需求;委托", "技术需求；委托"),
        ("工作汇报如下:", "工作汇报如下："),
        ("(一)聚焦核心指标", "（一）聚焦核心指标"),
        ("創新驅動中心(宁波)、乌克兰", "創新驅動中心（宁波）、乌克兰"),
        ("增长。(S)实施", "增长。（S）实施"),
        ("资金1,000万元", "资金1,000万元"),
        ("增长2.5倍", "增长2.5倍"),
        ("http://www.gzxgg.com/html/244434.html?a=1", "http://www.gzxgg.com/html/244434.html?a=1"),
        ("Hello, world (test): ok!", "Hello, world (test): ok!"),
        ("时间 09:45:30", "时间 09:45:30"),
    ],
)
def test_fullwidth_punctuation_beside_chinese_only(text: str, expected: str) -> None:
    assert c.fullwidth_punctuation(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\u3000\u3000xxxx年区科技局按照部署", "xxxx年区科技局按照部署"),
        ("国务院总理\u3000李强", "国务院总理 李强"),
        ("甲\u00a0\u00a0乙\t丙", "甲 乙 丙"),
        ("  首行缩进\n  次行缩进  ", "首行缩进\n次行缩进"),
        ("行尾空格 \n 行首空格\n \n末行", "行尾空格\n行首空格\n\n末行"),
    ],
)
def test_normalize_spaces(text: str, expected: str) -> None:
    assert c.normalize_spaces(text) == expected


def test_normalize_newlines_removes_xml_illegal_characters() -> None:
    assert c.normalize_newlines("第一行\r\n第\x00二\x0b行\ufeff\r第三\u200b行") == "第一行\n第二行\n第三行"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("## 一、2023年工作回顾", "一、2023年工作回顾"),
        ("**一、2024年工作回顾**", "一、2024年工作回顾"),
        ("**（一）坚持稳中求进。**全市生产总值增长", "（一）坚持稳中求进。全市生产总值增长"),
        ("**政府工作报告**", "政府工作报告"),
        ("加快推进“三个**”建设", "加快推进“三个**”建设"),
    ],
)
def test_strip_markdown(text: str, expected: str) -> None:
    assert c.strip_markdown(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("头版头条刊登。 （一）聚焦主线", "头版头条刊登。\n（一）聚焦主线"),
        ("工作思路 一、2020年工作总结 2020年以来", "工作思路\n一、2020年工作总结 2020年以来"),
        ("国务院总理 李强", "国务院总理 李强"),
    ],
)
def test_break_run_on_paragraphs(text: str, expected: str) -> None:
    assert c.break_run_on_paragraphs(text) == expected


def test_repeated_and_blank_lines_collapse() -> None:
    text = "\n区科技局工作计划\n\n区科技局工作计划\n\n\n正文。\n"
    assert c.collapse_blank_lines(c.drop_repeated_lines(text)) == "区科技局工作计划\n正文。"


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("全区现有高新技术企业xx家", ["xx"]),
        ("增长x.x%，达到x.xx%", ["x.x%", "x.xx%"]),
        ("20xx年度和xxxx年", ["20xx", "xxxx"]),
        ("新增x家", ["x"]),
        ("R&D投入和Excel表格", []),
    ],
)
def test_placeholders_are_figure_slots_and_survive_cleaning(text: str, slots: list[str]) -> None:
    assert c.RE_PLACEHOLDER.findall(text) == slots
    assert c.clean(text) == text


def test_cleaning_steps_are_plain_functions() -> None:
    assert all(callable(step) for step in c.CLEANING_STEPS)
    assert c.to_simplified in c.CLEANING_STEPS


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_seeds_come_out_simplified_without_pinyin_or_chrome(seed: Path) -> None:
    text = c.clean(seed.read_text(encoding="utf-8"))
    assert c.to_simplified(text) == text
    assert not RE_PINYIN_LEFT.search(text)
    assert not RE_CHROME_LEFT.search(text), RE_CHROME_LEFT.search(text)
    assert "?" not in text
    assert "\n\n" not in text
    assert c.clean(text) == text  # cleaning is idempotent
