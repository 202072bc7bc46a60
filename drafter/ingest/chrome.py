"""Site chrome: the furniture scraped pages wrap around a report (navigation, share buttons, copyright).

Three cleaning steps (used by ``drafter.ingest.clean``): fragments cut out of a line, whole chrome lines dropped,
and breadcrumb trails split over several lines. Patterns are written for simplified text with either
half- or full-width colons, because they run after the traditional→simplified conversion and before
punctuation is normalised.
"""

from __future__ import annotations

import re

# Cut from wherever they start to the end of their line (the rest of the line is chrome too).
RE_TAIL_FRAGMENT = re.compile(r"(?:上一篇|下一篇|相关栏目|相关文章|上一页|下一页)[:：].*$", re.M)
# Inline fragments, each behind a literal that must occur in the text (a cheap test before the regex).
_INLINE_FRAGMENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("content_", re.compile(r"content_\d+\(\);[。.]?")),
    ("本文地址", re.compile(r"【本文地址[:：][^】\n]*】|本文地址[:：][ ]*https?://\S+")),
    ("小编", re.compile(r"(?:以下|下面)是小编[^。！\n]*(?:[。！]|$)", re.M)),
    ("范例", re.compile(r"《[^》\n]{1,80}》范例[，,][^\n]*")),
    ("点击查看更多", re.compile(r"点击查看更多[>》]*")),
    ("展开阅读全文", re.compile(r"展开阅读全文")),
    ("标题", re.compile(r"^标题[:：][ ]*", re.M)),
    ("|", re.compile(r"[|｜][ ]*$", re.M)),
    ("｜", re.compile(r"[|｜][ ]*$", re.M)),
)
_TAIL_TRIGGERS = ("上一篇", "下一篇", "相关栏目", "相关文章", "上一页", "下一页")

# Lines that are chrome from start to end.
_CHROME_LINE_PATTERNS = (
    r"(?:当前位置|您的位置|你的位置|所在位置)[:：].*",
    r"[^\n]{0,40}(?:ICP备|ICP证|公网安备|经营许可证|备案号)[^\n]{0,60}",
    r"上传人[:：].*(?:文档编号|页数).*",
    r".{0,80}\.(?:docx?|pdf|wps|txt)_第\d+页",
    r"第\s*\d+\s*页\s*/\s*共\s*\d+\s*页",
    r"[（(]?(?:来源|编辑|责任编辑|责编|作者|审核|校对|通讯员|发布单位)[:：][^\n]{0,25}?[)）]?",
    r"[^\s，。]{2,12}(?:日报|晚报|新闻网|客户端|新闻社)",
    r"(?:发布|发表|更新)?时间[:：][^\n]{0,25}",
    r"(?:阅读量|浏览量|浏览次数|点击数|访问量|阅读)[:：]?\s*\d*",
    r"\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?",
    r"\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}[时:]\d{1,2}分?",
    r"\d{4}/\d{1,2}/\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?",
    r"【?\s*字[号体][:：].*",
    r"[^\n]{0,60}(?:记者|通讯员|摄影)[^\n。]{0,15}摄",
    r"[^\n]{0,60}记者[ ]?[\u4e00-\u9fff]{2,4}",
    r"[^\n]{0,80}作政府工作报告[。.]?",
    r"解读[^\n。]{0,60}",
    r".{0,20}点击.{0,10}进入专题.{0,20}",
    r"(?:[^|｜\n]{0,14}[|｜]){2,}[^|｜\n]{0,14}",
    r"返回\s*下载\s*相关\s*举报",
    r"相关(?:栏目|资源|搜索|文章|阅读|推荐|链接|报道|文档|专题)[:：]?.{0,60}",
    r".{0,80}相关关键词[:：].*",
    r".{0,80}由(?:会员|互联网用户|网友)(?:分享|整理提供|上传)[^\n]*",
    r"来源[:：]\s*网络整理.*",
    r"免责声明[:：].*",
    r"导语[:：].*",
    r"首页\s*[>›»＞].*",
    r"扫一扫.{0,20}",
    r"分享到.{0,20}",
    r"猜你喜欢|资源描述|打印本页|关闭窗口|返回顶部|我要纠错|点击排行|热门推荐",
    r"(?:下载|打印|全屏|收藏|加大|还原|减小|分享|大|中|小|默认|关闭|返回|举报|【|】|×)[:：]?",
)
RE_CHROME_LINE = re.compile(r"^(?:" + "|".join(_CHROME_LINE_PATTERNS) + r")[ ]*$\n?", re.M)

# A breadcrumb split over lines: short names with a lone '>' between them.
RE_BREADCRUMB = re.compile(r"^(?:[^\n]{1,12}\n)?(?:[>›»＞][ ]*\n(?:[^\n]{1,12}(?:\n|$))?)+", re.M)


def drop_chrome_fragments(text: str) -> str:
    """``text`` without inline chrome (上一篇…, 本文地址：http…, 小编 chatter, content_2();, ``|``)."""
    if any(trigger in text for trigger in _TAIL_TRIGGERS):
        text = RE_TAIL_FRAGMENT.sub("", text)
    for trigger, pattern in _INLINE_FRAGMENTS:
        if trigger in text:
            text = pattern.sub("", text)
    return text


def drop_chrome_lines(text: str) -> str:
    """``text`` without lines that are wholly site chrome (位置, 备案, 分页, 来源/编辑, 日期戳, 按钮)."""
    return RE_CHROME_LINE.sub("", text)


def drop_breadcrumbs(text: str) -> str:
    """``text`` without breadcrumb trails written one item per line (首页 / > / 要闻)."""
    if ">" not in text and "›" not in text and "»" not in text and "＞" not in text:
        return text
    return RE_BREADCRUMB.sub("", text)
