"""The web app as a browser or script meets it: pages, every API endpoint, every error path.

Routing and error handling run against a small recording core (``RecordingCore``); drafting, preview,
search and upload also run once through the real ``Drafter`` on the sample corpus.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html

from drafter.accounts.store import SqliteAccounts
from drafter.draft.docx import draft_filename, draft_to_bytes
from drafter.draft.form import Form
from drafter.errors import CorpusError, InputFileError
from drafter.models import Draft, DraftNode, SearchFilters
from drafter.scopes import EVERYTHING, Scope
from drafter.web.api import DraftingCore, WebSettings
from drafter.web.app import create_app

REPO = Path(__file__).resolve().parents[2]
STATIC = REPO / "drafter" / "static"
TEMPLATES = REPO / "drafter" / "web_templates"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SCRIPT = "<script>alert('x')</script>"
MINIMAL = {"unit": "青溪区科学技术局", "year": 2025}


@dataclass
class Report:
    """An ingest report as the core returns it."""

    documents_added: int = 1
    documents_seen: int = 0
    passages_added: int = 4
    failures: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CorpusFile:
    """Where the test double's corpus file would be."""

    path: Path


@dataclass
class RecordingCore:
    """A core that records its calls and answers with fixed rows (user text included, to test escaping)."""

    corpus: CorpusFile
    calls: list[tuple[str, Any]] = field(default_factory=list)
    failures: tuple[tuple[str, str], ...] = ()
    raise_on_draft: Exception | None = None
    ingested: list[Path] = field(default_factory=list)

    def search_rows(
        self, query: str, k: int = 5, filters: SearchFilters | None = None
    ) -> list[dict[str, Any]]:
        self.calls.append(("search", (query, k, filters)))
        row = {
            "doc_id": "d1",
            "title": f"报告{SCRIPT}",
            "heading": "科技企业培育",
            "text": f"新认定高新技术企业{SCRIPT}",
        }
        return [
            {
                **row,
                "score": 0.9,
                "terms": ["高新技术企业"],
                "frame": "新认定高新技术企业【N】家",
                "source": "a.txt",
            }
        ]

    def phrase_rows(self, category: str | None = None, scope: Scope = EVERYTHING) -> list[dict[str, Any]]:
        self.calls.append(("phrases", category))
        return [
            {
                "category": "result",
                "pattern": "取得新突破",
                "count": 3,
                "docs": 2,
                "examples": [],
                "source": "mined",
            }
        ]

    def figure_suggestions(self) -> list[dict[str, Any]]:
        self.calls.append(("suggestions", None))
        return [{"label": "新认定国家高新技术企业", "unit": "家", "pattern": "新认定国家高新技术企业{N}家"}]

    def account_store(self) -> SqliteAccounts:
        return SqliteAccounts(self.corpus.path)

    def preview(self, form: Form, scope: Scope = EVERYTHING) -> dict[str, Any]:
        self.calls.append(("preview", form))
        return {"title": f"{form.unit}{form.year}年工作总结", "placeholders": []}

    def export(self, draft: Draft) -> bytes:
        return draft_to_bytes(draft)

    def word_name(self, draft: Draft) -> str:
        return draft_filename(draft)

    def compose(self, form: Form, *, references: bool = True, scope: Scope = EVERYTHING) -> Draft:
        self.calls.append(("draft", form))
        if self.raise_on_draft is not None:
            raise self.raise_on_draft
        items = tuple(f"{f.label}{f.value}{f.unit}" for f in form.figures) + tuple(
            h.text for h in form.highlights
        )
        node = DraftNode(level=1, number="一、", heading="主要工作", paragraphs=items or ("（无）",))
        return Draft(title=f"{form.unit}{form.year}年工作总结", nodes=(node,))

    def ingest(self, paths: Sequence[Path], **_options: Any) -> Report:
        self.calls.append(("ingest", [(p.name, p.read_bytes()) for p in paths]))
        self.ingested = list(paths)
        failed = tuple((str(paths[i]), reason) for i, (_, reason) in enumerate(self.failures))
        return Report(documents_added=len(paths) - len(failed), failures=failed)

    def corpus_summaries(self, scope: Scope = EVERYTHING) -> list[object]:
        return []

    def update_index_now(self) -> bool:
        self.calls.append(("grow", None))
        return True

    def update_in_background(self) -> None:
        self.calls.append(("update", None))


def page_client(app: Any) -> TestClient:
    """A client that has opened the page (on this server's own name), as a browser would before uploading."""
    client = TestClient(app, base_url="http://localhost")
    assert client.get("/").status_code == 200
    client.headers["X-CSRF-Token"] = client.cookies["drafter_csrf"]
    return client


def _client(core: DraftingCore, **settings: Any) -> TestClient:
    return page_client(create_app(core, settings=WebSettings(warm_up=False, **settings)))


@pytest.fixture
def core(tmp_path: Path) -> RecordingCore:
    return RecordingCore(CorpusFile(tmp_path / "corpus.sqlite3"))


@pytest.fixture
def client(core: RecordingCore) -> TestClient:
    return _client(core)


def _paths(response: Any) -> list[str]:
    return [item["path"] for item in response.json()["detail"]]


# --- pages --------------------------------------------------------------------------------------------------


def _page_fields(page: str) -> tuple[dict[str, str], list[Any]]:
    """Labels by the id they name (``for``), and every field a writer fills (templates' rows included)."""
    tree = lxml_html.fromstring(page)
    labels = {lab.get("for"): lab.text_content().strip() for lab in tree.iter("label") if lab.get("for")}
    fields = [f for f in tree.iter("input", "select", "textarea") if f.get("type") != "hidden"]
    for template in tree.iter("template"):
        inner = lxml_html.fragment_fromstring(lxml_html.tostring(template, encoding="unicode"))
        fields += [f for f in inner.iter("input", "select", "textarea")]
        labels.update(
            {f"template:{lab.get('data-for')}": "" for lab in inner.iter("label") if lab.get("data-for")}
        )
    return labels, fields


@pytest.mark.parametrize(
    ("field_id", "label"), [("f-unit", "单位名称"), ("f-year", "年度"), ("f-period", "类型")]
)
def test_form_page_labels_the_main_fields(client: TestClient, field_id: str, label: str) -> None:
    labels, _ = _page_fields(client.get("/").text)
    assert labels[field_id] == label


def test_every_field_of_the_form_page_has_a_label(client: TestClient) -> None:
    page = client.get("/").text
    tree = lxml_html.fromstring(page)
    labelled = {lab.get("for") for lab in tree.iter("label")}
    for fld in tree.iter("input", "select", "textarea"):
        if fld.getparent() is not None and fld.get("id"):
            assert fld.get("id") in labelled, lxml_html.tostring(fld)
    # Row fields get their ids in the browser: each template field has a label naming its key.
    for template in re.findall(r"<template id=\"(tpl-[a-z]+)\">(.*?)</template>", page, flags=re.S):
        keys = set(re.findall(r'data-key="([a-z_]+)"', template[1]))
        label_keys = set(re.findall(r'data-for="([a-z_]+)"', template[1]))
        assert keys <= label_keys, template[0]


def test_form_page_offers_the_three_report_kinds(client: TestClient) -> None:
    page = client.get("/").text
    for text in (
        "年度总结及下年思路",
        "上半年总结及下半年计划",
        "年度计划",
        "生成Word",
        "导入表单",
        "导出表单",
    ):
        assert text in page


@pytest.mark.parametrize("url", ["/", "/search", "/search?q=%E7%A7%91%E6%8A%80"])
def test_pages_load_nothing_from_outside(client: TestClient, url: str) -> None:
    response = client.get(url)
    tree = lxml_html.fromstring(response.text)
    refs = [e.get("src") or e.get("href") for e in tree.iter("script", "link", "img", "a")]
    assert all(r and (r.startswith(("/", "#", "data:"))) for r in refs), refs
    assert "default-src 'self'" in response.headers["content-security-policy"]
    for asset in re.findall(r'(?:src|href)="(/static/[^"?]+)', response.text):
        body = client.get(asset)
        assert body.status_code == 200, asset
        assert not re.search(r"https?://", body.text), asset


def test_static_assets_use_no_html_sinks_for_data() -> None:
    for script in STATIC.glob("*.js"):
        text = script.read_text(encoding="utf-8")
        sinks = [sink for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "eval(") if sink in text]
        assert sinks == [], script


def test_search_page_escapes_the_query_and_the_passages(client: TestClient) -> None:
    page = client.get("/search", params={"q": SCRIPT}).text
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(" in page
    assert "<mark>高新技术企业</mark>" in page  # the core's matched term is highlighted, the rest is text


def test_search_page_passes_filters_and_explains_bad_ones(client: TestClient, core: RecordingCore) -> None:
    page = client.get("/search", params={"q": "科普", "kind": "annual", "year_from": "20x3", "k": "999"}).text
    query, k, filters = core.calls[-1][1]
    assert (query, k) == ("科普", 10)
    assert filters.kinds == ("annual",)
    assert filters.year_from is None
    assert "起始年份应为四位数的年份" in page
    assert "结果条数应为 1 到 50" in page


def test_search_page_without_query_does_not_search(client: TestClient, core: RecordingCore) -> None:
    assert "输入检索词" in client.get("/search").text
    assert core.calls == []


# --- /api/draft ---------------------------------------------------------------------------------------------


def _docx_text(data: bytes) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


FIGURE_FORM = {**MINIMAL, "figures": [{"label": "新认定国家高新技术企业", "value": 162, "unit": "家"}]}


def test_draft_returns_the_docx_with_its_chinese_file_name(client: TestClient) -> None:
    response = client.post("/api/draft", json=FIGURE_FORM)
    assert response.status_code == 200
    assert response.headers["content-type"] == DOCX
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="draft.docx"' in disposition
    encoded = re.search(r"filename\*=UTF-8''(\S+)", disposition)
    assert encoded is not None
    assert (
        unquote(encoded.group(1), encoding="utf-8", errors="strict") == "青溪区科学技术局2025年工作总结.docx"
    )
    assert response.content.startswith(b"PK")


@pytest.mark.parametrize(
    ("body", "paths"),
    [
        ({"year": 2025}, ["unit"]),
        ({"unit": "区科技局", "year": "二〇二五"}, ["year"]),
        ({**MINIMAL, "period": "quarter"}, ["period"]),
        (
            {
                **MINIMAL,
                "figures": [{"label": "a", "value": 1}, {"label": "b"}, {"label": "c", "value": "很多"}],
            },
            ["figures[2].value"],
        ),
        (
            {**MINIMAL, "plans": [{"theme": "人才", "targets": [{"label": "博士", "value": "x"}]}]},
            ["plans[0].targets[0].value"],
        ),
        ({**MINIMAL, "problems": ["", "ok"]}, ["problems[0]"]),
        ({**MINIMAL, "figure": []}, ["figure"]),
        ([MINIMAL], [""]),
    ],
)
def test_draft_rejects_bad_forms_with_their_field_paths(
    client: TestClient, body: object, paths: list[str]
) -> None:
    response = client.post("/api/draft", json=body)
    assert response.status_code == 422
    assert _paths(response) == paths
    assert all(re.search(r"[\u4e00-\u9fff]", item["msg"]) for item in response.json()["detail"])


@pytest.mark.parametrize(
    "extra",
    [
        {"bureau_type": None},
        {"title": ""},
        {"signature": "  "},
        {"date": None},
        {"figures": [{"label": "新增市级众创空间", "value": 4, "theme": None}]},
        {"highlights": [{"theme": "", "text": "新认定市级博士创新站8家"}]},
    ],
)
def test_blank_optional_fields_are_accepted(client: TestClient, extra: dict[str, Any]) -> None:
    # An empty ``date:`` in a YAML form or a cleared box on the page arrives as null or "".
    response = client.post("/api/draft", json={**MINIMAL, **extra})
    assert response.status_code == 200, response.text


def test_a_field_path_is_also_a_fastapi_style_loc(client: TestClient) -> None:
    body = {**MINIMAL, "figures": [{"label": "a"}, {"label": "b"}, {"label": "c", "value": "x"}]}
    item = client.post("/api/draft", json=body).json()["detail"][0]
    assert item["loc"] == ["body", "figures", 2, "value"]


@pytest.mark.parametrize(
    ("content", "content_type", "status", "words"),
    [
        (b'{"unit": ', "application/json", 422, "不是有效的 JSON"),
        (b"", "application/json", 422, "请求内容为空"),
        (b"   ", "application/json", 422, "请求内容为空"),
        (b"\xff\xfe\xfa", "application/json", 422, "UTF-8"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", 422, "嵌套过深"),
        (b'{"year": ' + b"9" * 5000 + b"}", "application/json", 422, "过长的数字"),
        (b"unit: x", "text/plain", 415, "application/json"),
        (b"{}", "", 415, "未注明"),
    ],
)
def test_draft_answers_malformed_bodies_plainly(
    client: TestClient, content: bytes, content_type: str, status: int, words: str
) -> None:
    response = client.post("/api/draft", content=content, headers={"content-type": content_type})
    assert response.status_code == status
    assert words in response.json()["detail"][0]["msg"]


def test_draft_refuses_a_huge_body_before_reading_it(client: TestClient, core: RecordingCore) -> None:
    body = json.dumps({**MINIMAL, "problems": ["问题" * 1000] * 300}).encode()
    response = client.post("/api/draft", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert "超过 1 MB" in response.json()["detail"][0]["msg"]
    assert core.calls == []


def test_draft_refuses_a_huge_body_sent_in_chunks(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"unit": "'
        for _ in range(200):
            yield b"x" * 10_000
        yield b'", "year": 2025}'

    response = client.post("/api/draft", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InputFileError("参考样式.docx", "不是有效的 Word 文件"), 422),
        (CorpusError("语料库文件已损坏，请重新导入"), 503),
    ],
)
def test_domain_errors_become_json_answers(error: Exception, status: int, core: RecordingCore) -> None:
    core.raise_on_draft = error
    client = _client(core)
    response = client.post("/api/draft", json=MINIMAL)
    assert response.status_code == status
    assert response.json()["detail"][0]["msg"] == str(error)


def test_user_text_reaches_the_core_unchanged(client: TestClient, core: RecordingCore) -> None:
    note = "{{ 7*7 }}<b>加粗</b>&amp;"
    client.post("/api/draft", json={**MINIMAL, "highlights": [{"text": note}]})
    form = core.calls[-1][1]
    assert form.highlights[0].text == note


# --- /api/preview and /api/form/parse -----------------------------------------------------------------------


def test_preview_returns_the_core_preview(client: TestClient) -> None:
    response = client.post("/api/preview", json=MINIMAL)
    assert response.status_code == 200
    assert response.json()["title"] == "青溪区科学技术局2025年工作总结"


def test_preview_rejects_bad_values_with_paths(client: TestClient) -> None:
    body = {**MINIMAL, "figures": [{"label": "研发投入", "value": "3.1亿"}]}
    response = client.post("/api/preview", json=body)
    assert (response.status_code, _paths(response)) == (422, ["figures[0].value"])


YAML_FORM = """unit: 青溪区科学技术局
year: 2025
period: half
figures:
  - {label: 新认定国家高新技术企业, value: 162, unit: 家, previous: 125}
plans:
  - theme: 科技企业培育
    actions: [完善科技企业梯次培育机制]
"""


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (YAML_FORM.encode(), "text/plain"),
        (YAML_FORM.encode("gb18030"), "text/plain"),
        (YAML_FORM.encode("utf-8-sig"), "application/yaml"),
        (
            json.dumps(
                {
                    "unit": "青溪区科学技术局",
                    "year": 2025,
                    "period": "half",
                    "figures": [
                        {"label": "新认定国家高新技术企业", "value": 162, "unit": "家", "previous": 125}
                    ],
                },
                ensure_ascii=False,
            ).encode(),
            "application/json",
        ),
    ],
)
def test_form_parse_reads_yaml_and_json(client: TestClient, content: bytes, content_type: str) -> None:
    response = client.post("/api/form/parse", content=content, headers={"content-type": content_type})
    assert response.status_code == 200
    form = response.json()
    assert (form["unit"], form["year"], form["period"]) == ("青溪区科学技术局", 2025, "half")
    assert form["figures"][0]["value"] == 162
    assert form["figures"][0]["previous"] == 125


@pytest.mark.parametrize(
    ("content", "status", "path", "words"),
    [
        ("unit: [a\nyear: 2025", 422, "", "第 2 行"),
        ("- 青溪区\n- 2025", 422, "", "键值对"),
        ("", 422, "", "空的"),
        ("unit: 区科技局\nyear: 2025\nfigures:\n  - {label: a, value: 十}", 422, "figures[0].value", "数字"),
        ("unit: 区科技局\nyaer: 2025", 422, "year", "必填"),
    ],
)
def test_form_parse_names_what_is_wrong(
    client: TestClient, content: str, status: int, path: str, words: str
) -> None:
    response = client.post(
        "/api/form/parse", content=content.encode(), headers={"content-type": "text/plain"}
    )
    assert response.status_code == status
    detail = response.json()["detail"]
    assert any(item["path"] == path and words in item["msg"] for item in detail), detail


# --- /api/search, /api/phrases, /api/figure-suggestions -----------------------------------------------------


def test_search_returns_the_core_rows_with_filters(client: TestClient, core: RecordingCore) -> None:
    params = {
        "q": "高新技术企业",
        "k": 3,
        "kind": ["annual", "half"],
        "part": "summary",
        "year_from": 2020,
        "year_to": 2024,
        "unit": "科技局",
    }
    response = client.get("/api/search", params=params)
    assert response.status_code == 200
    assert response.json()[0]["frame"] == "新认定高新技术企业【N】家"
    query, k, filters = core.calls[-1][1]
    assert (query, k) == ("高新技术企业", 3)
    assert filters == SearchFilters(
        kinds=("annual", "half"), part="summary", year_from=2020, year_to=2024, unit="科技局"
    )


@pytest.mark.parametrize("query", ["", "   ", "\x00\x01"])
def test_empty_search_is_an_empty_list_without_touching_the_corpus(
    client: TestClient, core: RecordingCore, query: str
) -> None:
    response = client.get("/api/search", params={"q": query})
    assert (response.status_code, response.json()) == (200, [])
    assert core.calls == []


@pytest.mark.parametrize(
    ("params", "path", "words"),
    [
        ({"q": "x", "k": 0}, "k", "不小于 1"),
        ({"q": "x", "k": 51}, "k", "不大于 50"),
        ({"q": "x", "k": "五"}, "k", "整数"),
        ({"q": "x", "kind": "novel"}, "kind[0]", "只能是"),
        ({"q": "x", "part": "middle"}, "part", "只能是"),
        ({"q": "x", "year_from": 2024, "year_to": 2020}, "year_from", "不能晚于"),
        ({"q": "x" * 2001}, "q", "太长"),
    ],
)
def test_search_rejects_bad_parameters_in_chinese(
    client: TestClient, params: dict[str, Any], path: str, words: str
) -> None:
    response = client.get("/api/search", params=params)
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert item["path"] == path
    assert words in item["msg"]


def test_phrases_pass_the_category(client: TestClient, core: RecordingCore) -> None:
    response = client.get("/api/phrases", params={"category": "result"})
    assert response.json()[0]["pattern"] == "取得新突破"
    assert core.calls[-1] == ("phrases", "result")
    assert client.get("/api/phrases", params={"category": "poem"}).status_code == 422


def test_figure_suggestions(client: TestClient) -> None:
    rows = client.get("/api/figure-suggestions").json()
    assert rows == [
        {"label": "新认定国家高新技术企业", "unit": "家", "pattern": "新认定国家高新技术企业{N}家"}
    ]


# --- /api/upload --------------------------------------------------------------------------------------------


def _files(*named: tuple[str, bytes]) -> list[tuple[str, tuple[str, io.BytesIO]]]:
    return [("files", (name, io.BytesIO(data))) for name, data in named]


def test_upload_ingests_the_files_under_their_own_names(client: TestClient, core: RecordingCore) -> None:
    response = client.post(
        "/api/upload", files=_files(("2024年总结.txt", "一、工作总结".encode()), ("b.md", b"# t"))
    )
    assert response.status_code == 200
    assert response.json()["documents_added"] == 2
    assert core.calls[-3] == ("ingest", [("2024年总结.txt", "一、工作总结".encode()), ("b.md", b"# t")])
    assert core.calls[-2:] == [("grow", None), ("update", None)]  # searchable now, counted in the bank next


@pytest.mark.parametrize("name", ["../../etc/passwd.txt", "C:\\Users\\x\\报告.txt", "a\x00b.txt"])
def test_upload_keeps_only_a_safe_base_name(client: TestClient, core: RecordingCore, name: str) -> None:
    assert client.post("/api/upload", files=_files((name, b"text"))).status_code == 200
    stored = core.calls[-3][1][0][0]
    assert core.ingested[0].parent.parent == core.corpus.path.with_name("corpus.sqlite3.uploads")
    assert "/" not in stored
    assert "\\" not in stored
    assert "\x00" not in stored
    assert stored.endswith(".txt")


@pytest.mark.parametrize("name", ["report.pdf", "report.doc", "report", "report.exe"])
def test_upload_refuses_other_file_types(client: TestClient, core: RecordingCore, name: str) -> None:
    response = client.post("/api/upload", files=_files(("ok.txt", b"x"), (name, b"x")))
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert item["path"] == "files[1]"
    assert "不支持这种文件类型" in item["msg"]
    assert core.calls == []  # nothing is ingested when one file is refused


def test_upload_refuses_an_oversize_file(core: RecordingCore) -> None:
    client = _client(core, max_upload_bytes=1000)
    response = client.post("/api/upload", files=_files(("big.txt", b"x" * 1001)))
    assert response.status_code == 413
    assert "big.txt" in response.json()["detail"][0]["msg"]
    assert core.calls == []


def test_upload_refuses_an_oversize_request(core: RecordingCore) -> None:
    client = _client(core, max_upload_request_bytes=5000)
    response = client.post("/api/upload", files=_files(("a.txt", b"x" * 3000), ("b.txt", b"x" * 3000)))
    assert response.status_code == 413


def test_upload_refuses_too_many_files(core: RecordingCore) -> None:
    client = _client(core, max_upload_files=2)
    response = client.post("/api/upload", files=_files(("a.txt", b"a"), ("b.txt", b"b"), ("c.txt", b"c")))
    assert (response.status_code, _paths(response)) == (422, ["files"])


def test_upload_without_files_is_a_422(client: TestClient) -> None:
    response = client.post("/api/upload", data={"x": "1"})
    assert response.status_code == 422
    assert "上传文件" in response.json()["detail"][0]["msg"]


def test_upload_names_an_unreadable_file_and_its_reason(core: RecordingCore) -> None:
    core.failures = (("", "文件是空的"),)
    response = _client(core).post("/api/upload", files=_files(("空.txt", b""), ("好.txt", "正文".encode())))
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "空.txt：文件是空的"
    assert response.json()["report"]["failures"] == [{"file": "空.txt", "reason": "文件是空的"}]
    assert response.json()["report"]["documents_added"] == 1
    assert [p.exists() for p in core.ingested] == [False, True]  # the refused file is not kept


def test_uploads_are_kept_beside_the_corpus_under_their_names(
    client: TestClient, core: RecordingCore
) -> None:
    files = _files(("总结.txt", "甲".encode()), ("总结.txt", "乙".encode()))
    assert client.post("/api/upload", files=files).status_code == 200
    uploads = core.corpus.path.with_name("corpus.sqlite3.uploads")
    assert [p.parent.parent for p in core.ingested] == [uploads, uploads]
    assert [p.name for p in core.ingested] == ["总结.txt", "总结(2).txt"]
    assert [p.read_text(encoding="utf-8") for p in core.ingested] == ["甲", "乙"]


# --- the rest -----------------------------------------------------------------------------------------------


def test_health_and_unknown_routes(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"
    missing = client.get("/api/nothing")
    assert missing.status_code == 404
    assert "没有这个页面" in missing.json()["detail"][0]["msg"]
    assert client.get("/api/draft").status_code == 405
    assert client.get("/docs").status_code == 404  # Swagger UI would load from a CDN


def test_openapi_documents_the_form_body(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    body = schema["paths"]["/api/draft"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/Form"}
    components = schema["components"]["schemas"]
    assert {"Form", "Figure", "PlanItem", "Target", "Highlight"} <= set(components)
    assert set(components["Form"]["required"]) == {"unit", "year"}
    for path in (
        "/api/draft",
        "/api/preview",
        "/api/search",
        "/api/phrases",
        "/api/upload",
        "/api/form/parse",
    ):
        assert path in schema["paths"]


def test_importing_the_app_does_no_work() -> None:
    code = (
        "import sys, drafter.web.app; from drafter.web.app import create_app; app = create_app(corpus_path=__import__('pathlib').Path('/nonexistent/x.db'));"
        "heavy = [m for m in ('jieba', 'sklearn', 'docx', 'drafter.app', 'drafter.corpus.store') if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_corpus_is_opened_on_first_use(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.sqlite3"
    app = create_app(corpus_path=corpus, settings=WebSettings(warm_up=False))
    client = TestClient(app)
    assert client.get("/").status_code == 200
    assert not corpus.exists()
    assert client.get("/api/search", params={"q": "科技"}).status_code == 200
    assert corpus.exists()


# --- the real pipeline --------------------------------------------------------------------------------------

ANNUAL_FORM = REPO / "examples" / "forms" / "keji_annual_2025.yaml"


@pytest.fixture(scope="module")
def real_client(seeded_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    import shutil

    from drafter.app import Drafter

    corpus = tmp_path_factory.mktemp("web-real") / "corpus.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    drafter = Drafter(corpus, seed=False)
    yield page_client(create_app(drafter, settings=WebSettings(warm_up=False)))
    drafter.close()


@pytest.mark.slow
def test_the_sample_form_drafts_through_the_real_pipeline(real_client: TestClient) -> None:
    import yaml

    form = yaml.safe_load(ANNUAL_FORM.read_text(encoding="utf-8"))
    response = real_client.post(
        "/api/form/parse", content=ANNUAL_FORM.read_bytes(), headers={"content-type": "text/plain"}
    )
    assert response.status_code == 200
    drafted = real_client.post("/api/draft", json=response.json())
    assert drafted.status_code == 200
    encoded = re.search(r"filename\*=UTF-8''(\S+)", drafted.headers["content-disposition"])
    assert encoded is not None
    year = form["year"]
    assert unquote(encoded.group(1)) == f"{form['unit']}{year}年工作总结及{year + 1}年工作思路.docx"
    text = _docx_text(drafted.content)
    # 162 against 125: (162 − 125) / 125 = 29.6 %, worked out here rather than by the code under test.
    assert "162家" in text
    assert "同比增长29.6%" in text
    for problem in form["problems"]:
        assert problem in text


@pytest.mark.slow
def test_preview_shows_outline_figures_placeholders_and_sourced_references(real_client: TestClient) -> None:
    body = {
        **MINIMAL,
        "figures": [
            {"label": "新认定国家高新技术企业", "value": 162, "unit": "家", "previous": 125},
            {"label": "开展科普活动", "unit": "场"},
        ],
    }
    preview = real_client.post("/api/preview", json=body).json()
    assert preview["title"] == "青溪区科学技术局2025年工作总结及2026年工作思路"
    assert preview["figures"][0]["change"] == "同比增长29.6%"
    assert any("开展科普活动" in slot for slot in preview["placeholders"])
    references = [ref for row in preview["outline"] for ref in row["references"]]
    assert references
    assert all(ref["title"] and ref["source"] and ref["text"] for ref in references)


@pytest.mark.slow
def test_an_uploaded_report_becomes_searchable_and_is_shown_escaped(real_client: TestClient) -> None:
    report = (
        "翠屏县农业农村局2024年工作总结\n一、2024年主要工作\n（一）稻渔综合种养示范\n"
        f"全县新建稻渔综合种养基地12个，带动农户增收{SCRIPT}。\n"
    )
    upload = real_client.post("/api/upload", files=_files(("翠屏县2024年总结.txt", report.encode("utf-8"))))
    assert upload.status_code == 200, upload.text
    assert upload.json()["documents_added"] == 1
    rows = real_client.get("/api/search", params={"q": "稻渔综合种养", "k": 3}).json()
    assert rows
    assert "稻渔综合种养" in rows[0]["text"]
    assert rows[0]["source"].endswith("翠屏县2024年总结.txt")
    page = real_client.get("/search", params={"q": "稻渔综合种养"}).text
    assert "稻渔综合种养" in page
    assert SCRIPT not in page
    again = real_client.post("/api/upload", files=_files(("副本.txt", report.encode("utf-8"))))
    assert (again.json()["documents_added"], again.json()["documents_seen"]) == (0, 1)


@pytest.mark.slow
def test_an_unreadable_upload_is_named_and_the_corpus_keeps_its_documents(real_client: TestClient) -> None:
    before = real_client.get("/api/search", params={"q": "高新技术企业", "k": 5}).json()
    response = real_client.post("/api/upload", files=_files(("坏文件.docx", b"this is not a zip file")))
    assert response.status_code == 422
    message = response.json()["detail"][0]["msg"]
    assert message.startswith("坏文件.docx：")
    assert "/tmp" not in message
    assert real_client.get("/api/search", params={"q": "高新技术企业", "k": 5}).json() == before


def test_an_over_long_upload_name_is_cut_to_what_a_file_system_holds(
    client: TestClient, core: RecordingCore
) -> None:
    name = "青溪区科学技术局" * 40 + "工作总结.txt"  # 900+ bytes of UTF-8
    assert client.post("/api/upload", files=_files((name, "正文".encode()))).status_code == 200
    (stored,) = core.ingested
    assert len(stored.name.encode("utf-8")) <= 255
    assert stored.name.startswith("青溪区科学技术局")
    assert stored.suffix == ".txt"


def test_a_wrong_method_is_answered_with_the_allowed_ones(client: TestClient) -> None:
    response = client.get("/api/draft")
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert "不支持该请求方法" in response.json()["detail"][0]["msg"]


@pytest.mark.slow
def test_search_page_offers_related_wordings_and_labels_weak_matches(
    seeded_corpus: Path, tmp_path: Path
) -> None:
    import shutil
    from urllib.parse import quote

    from drafter.app import Drafter

    corpus = tmp_path / "corpus.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    with TestClient(create_app(Drafter(corpus))) as client:
        assert client.app.state.readiness.wait(300)  # type: ignore[attr-defined]  # prepared behind the app
        page = client.get("/search", params={"q": "恢复生产"}).text
        assert "相关说法" in page
        assert f'href="/search?q={quote("复工复产")}"' in page  # one click searches the reports' own wording
        assert "复工复产" in page
        weak = client.get("/search", params={"q": "粮食安全"}).text
        assert "匹配度弱" in weak
        assert "匹配度：弱" in weak
