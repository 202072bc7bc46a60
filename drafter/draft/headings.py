"""Section headings in the shape of an opener family of the phrase bank."""

from __future__ import annotations

from drafter.models import OpenerFamily


def heading_for(family: OpenerFamily, theme: str, result: str | None = None) -> str:
    """A heading in ``family``'s shape: 聚焦 + 企业主体培育 + 优化科技产业生态 → 聚焦企业主体培育，优化科技产业生态.

    ``theme`` fills ``{X}``; ``result`` fills ``{Y}`` (appended after a comma when the pattern has no
    ``{Y}``; the ``，{Y}`` part is dropped when there is no result). A theme that already carries the
    family's fixed words (实施…工程 + 科技企业培育工程) is not doubled.
    """
    pattern = family.pattern
    theme = theme.strip().strip("，。；、 ")
    head, _, rest = pattern.partition("{X}")
    end = rest.split("，{Y}")[0].split("{Y}")[0]
    if head and theme.startswith(head):
        theme = theme[len(head) :]
    if end and theme.endswith(end):
        theme = theme[: -len(end)]
    text = pattern.replace("{X}", theme)
    result = (result or "").strip().strip("，。；、 ")
    if "{Y}" in text:
        text = text.replace("{Y}", result) if result else text.replace("，{Y}", "").replace("{Y}", "")
    elif result:
        text += "，" + result
    return text
