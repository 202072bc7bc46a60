"""The server answers at once: ``drafter serve`` on a corpus that still needs preparing (never mined, no index)
accepts every request while it prepares, never with a 5xx, and serves everything once ready."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from drafter.web.readiness import PREPARING_STATUS, Readiness, needs_of

FORM = {"unit": "青溪区科学技术局", "year": 2025}


class Server:
    """A running ``drafter serve`` on port 0 and a way to send it requests like the page does."""

    def __init__(self, process: subprocess.Popen[str], port: int) -> None:
        self.process = process
        self.port = port
        self.csrf = ""

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        content_type: str | None = None,
        *,
        admin: bool = False,
    ) -> tuple[int, dict[str, str], bytes]:
        origin = f"http://127.0.0.1:{self.port}"
        headers = {"Host": f"127.0.0.1:{self.port}", "Origin": origin}
        if self.csrf:
            headers["Cookie"] = f"drafter_csrf={self.csrf}"
            headers["X-CSRF-Token"] = self.csrf
        del admin  # single-PC mode (loopback, no account): the person at the PC administers
        if content_type:
            headers["Content-Type"] = content_type
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, quote(path, safe="/?=&%"), body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, answer
        finally:
            connection.close()

    def json(self, path: str) -> tuple[int, Any]:
        status, _headers, body = self.request("GET", path)
        return status, json.loads(body)


@pytest.fixture
def unprepared_server(seeded_corpus: Path, tmp_path: Path) -> Iterator[tuple[Server, float]]:
    """``drafter serve --port 0`` on a copy of the sample corpus without its phrase bank or search index."""
    corpus = tmp_path / "corpus.sqlite3"
    shutil.copy(seeded_corpus, corpus)
    shutil.rmtree(corpus.with_name(corpus.name + ".index"), ignore_errors=True)
    began = time.monotonic()
    log = (tmp_path / "stderr.txt").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "drafter",
            "serve",
            "--port",
            "0",
            "--corpus",
            str(corpus),
        ],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        printed = time.monotonic() - began
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, (line, (tmp_path / "stderr.txt").read_text())
        yield Server(process, int(match.group(1))), printed
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()
        log.close()


def _calls(server: Server, doc_id: str) -> list[tuple[str, str, bytes | None, str | None, bool]]:
    """One request per route of the OpenAPI schema, and the pages: (method, path, body, type, admin)."""
    seed = next((Path(__file__).resolve().parents[2] / "examples" / "corpus").glob("*.txt"))
    boundary = uuid.uuid4().hex
    upload = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{seed.name}"\r\n'
            f"Content-Type: text/plain\r\n\r\n"
        ).encode()
        + seed.read_bytes()
        + f"\r\n--{boundary}--\r\n".encode()
    )
    status, schema = server.json("/openapi.json")
    assert status == 200
    form = json.dumps(FORM, ensure_ascii=False).encode()
    calls: list[tuple[str, str, bytes | None, str | None, bool]] = []
    for path, operations in schema["paths"].items():
        for method in operations:
            # Unknown ids for the admin's changes (nothing is accepted or removed), a stored one to prefill from.
            concrete = path.replace("{batch_id}", "0" * 32)
            concrete = concrete.replace("{doc_id}", "0" * 16 if path.startswith("/api/admin") else doc_id)
            body: bytes | None = None
            kind: str | None = None
            if path == "/api/upload":
                body, kind = upload, f"multipart/form-data; boundary={boundary}"
            elif path == "/api/prefill":
                body, kind = (
                    upload.replace(b'name="files"', b'name="file"'),
                    f"multipart/form-data; boundary={boundary}",
                )
            elif path == "/api/login":  # no account on a single PC: refused (401), never a 5xx
                body, kind = b'{"name": "nobody", "password": "not-a-password"}', "application/json"
            elif path.startswith("/api/admin/users"):  # refused by the account rules (422): nothing changes
                concrete = concrete.replace("{name}", "nobody")
                body, kind = b'{"name": "nobody", "password": "not-a-password-1"}', "application/json"
            elif path == "/api/admin/units":  # a blank name, refused (422): nothing changes
                body, kind = b'{"name": " "}', "application/json"
            elif method == "post":
                body, kind = form, "application/json"
            if path == "/api/search":
                concrete += "?q=科技创新"
            if path.endswith("/visibility"):
                concrete += "?visibility=shared"  # as it is: nothing changes
            calls.append((method.upper(), concrete, body, kind, path.startswith("/api/admin")))
    for page in ("/", "/search", "/search?q=科技创新", "/admin", "/static/ready.js"):
        calls.append(("GET", page, None, None, False))
    return calls


@pytest.mark.slow
def test_every_route_answers_while_the_server_prepares_and_works_once_ready(
    unprepared_server: tuple[Server, float], seeded_corpus: Path
) -> None:
    from drafter.app import Drafter

    server, _printed = unprepared_server
    assert server.request("GET", "/healthz")[0] == 200
    status, progress = server.json("/readyz")
    assert status == 503
    assert progress["status"] == "preparing"
    assert "准备中" in progress["message"]
    # Asked first, while the index is surely still being built (the sweep below takes seconds of its own).
    page = server.request("GET", "/search?q=科技创新")[2].decode()
    assert "准备中" in page
    assert "检索索引准备中" in page
    _, headers, _ = server.request("GET", "/")
    server.csrf = re.search(r"drafter_csrf=([^;]+)", headers["set-cookie"]).group(1)  # type: ignore[union-attr]
    core = Drafter(seeded_corpus)
    doc_id = core.corpus_summaries()[0].id
    core.close()
    calls = _calls(server, doc_id)
    assert len(calls) >= 20

    preparing = []
    for method, path, body, kind, admin in calls:
        status, headers, answer = server.request(method, path, body, kind, admin=admin)
        assert status < 500 or path == "/readyz", (method, path, status, answer[:300])
        if status == PREPARING_STATUS:
            assert "准备中" in json.loads(answer)["detail"][0]["msg"], (method, path)
            assert headers["retry-after"].isdigit()
            preparing.append(path)
    # The sweep ran while the bank was still being mined: the routes that need it were asked to wait.
    assert server.json("/readyz")[0] == 503, "preparation ended before the sweep did: it proves nothing"
    # (The bank may be ready before the index: phrases are then served while search still waits.)
    assert {"/api/search?q=科技创新", "/api/draft", "/api/preview"} <= set(preparing)

    deadline = time.monotonic() + 300
    while server.json("/readyz")[0] != 200:
        assert time.monotonic() < deadline, server.json("/readyz")[1]
        time.sleep(0.5)
    assert server.json("/readyz")[1]["status"] == "ready"
    for method, path, body, kind, admin in calls:
        status, _headers, answer = server.request(method, path, body, kind, admin=admin)
        unknown_id = path.startswith("/api/admin/pending/") or path.startswith("/api/admin/documents/")
        refused = method == "POST" and path.startswith(("/api/admin/users", "/api/admin/units"))  # bad names
        expected = 404 if unknown_id else 401 if path == "/api/login" else 422 if refused else 200
        assert status == expected, (method, path, status, answer[:300])
    status, hits = server.json("/api/search?q=科技创新")
    assert status == 200
    assert hits
    assert "科技" in hits[0]["text"]
    assert server.json("/api/phrases")[1]
    page = server.request("GET", "/search?q=科技创新")[2].decode()
    assert "准备中" not in page
    assert "检索索引准备中" not in page


def test_a_route_waits_only_for_the_steps_it_needs() -> None:
    readiness = Readiness()
    assert not readiness.missing(("index",))  # no preparation asked for: every route answers
    assert needs_of("GET", "/api/search") == ("corpus", "index")
    assert needs_of("POST", "/api/admin/pending/x/accept") == ("corpus",)
    assert needs_of("POST", "/api/form/parse") == ()
    assert needs_of("GET", "/healthz") == ()
