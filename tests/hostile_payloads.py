"""Hostile inputs generated on the fly: bombs, deep nesting, lying zip headers, files that are not files.

Each builder returns bytes (or writes a special file) small enough to send, built so that a naive reader
would spend far more time or memory on it than its size suggests.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

REPORT = (
    "青溪区科学技术局2024年工作总结\n一、主要工作\n（一）科技企业培育\n"
    "今年以来，我局聚焦科技企业培育，新认定国家高新技术企业162家，同比增长29.6%。\n"
    "（二）人才引育\n新认定市级博士创新站8家，引进高层次人才团队12个。\n"
)

CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def word_body(paragraphs: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs)
    return f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'.encode()


def good_docx() -> bytes:
    """A small, honest Word report."""
    return _docx({"word/document.xml": word_body(REPORT.splitlines())})


def alias_bomb_markdown(levels: int = 9) -> bytes:
    """YAML front matter whose title expands to 9**levels strings through aliases (a few hundred bytes)."""
    lines = [
        'a0: &a0 ["哈哈哈哈", "哈哈哈哈", "哈哈哈哈", "哈哈哈哈", "哈哈哈哈", "哈哈哈哈", "哈哈哈哈", "哈哈哈哈", "哈哈哈哈"]'
    ]
    for i in range(1, levels):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append(f"title: *a{levels - 1}")
    return ("---\n" + "\n".join(lines) + "\n---\n" + REPORT).encode()


def huge_title_markdown() -> bytes:
    """Front matter whose title is one enormous folded scalar (kept short by the reader)."""
    return ("---\ntitle: " + "很长的标题" * 20000 + "\n---\n" + REPORT).encode()


def deep_jsonl(depth: int = 100_000) -> bytes:
    """One JSON line nested ``depth`` lists deep (RecursionError in a naive reader)."""
    return b"[" * depth + b"]" * depth + b"\n"


def long_number_jsonl(digits: int = 100_000) -> bytes:
    """A record whose text is a number of ``digits`` digits."""
    return b'{"title": "x", "text": ' + b"9" * digits + b"}\n"


def not_word_docx() -> bytes:
    """A zip with a Word package's parts whose body XML root is not Word's."""
    return _docx({"word/document.xml": b'<?xml version="1.0"?><html><body>hello</body></html>'})


def deep_xml_docx(depth: int = 100_000) -> bytes:
    """A Word body nested ``depth`` elements deep."""
    inner = "<w:r>" * depth + "</w:r>" * depth
    xml = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p>{inner}</w:p></w:body></w:document>'
    return _docx({"word/document.xml": xml.encode()})


def entity_bomb_docx() -> bytes:
    """A Word body declaring the billion-laughs entities."""
    entities = '<!ENTITY a0 "哈哈哈哈哈哈哈哈哈哈">' + "".join(
        f'<!ENTITY a{i} "{("&a" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    )
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>'
        f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&a9;</w:t></w:r></w:p></w:body></w:document>'
    )
    return _docx({"word/document.xml": xml.encode()})


def zip_bomb_docx(unpacked: int = 1 << 30) -> bytes:
    """A Word file whose body unpacks to ``unpacked`` bytes of spaces (honest headers)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode()
    chunk = b" " * (1 << 20)
    data = [compressor.compress(head)]
    for _ in range(unpacked >> 20):
        data.append(compressor.compress(chunk))
    data.append(compressor.flush())
    return _stored_zip("word/document.xml", b"".join(data), unpacked + len(head), unpacked + len(head))


def lying_zip_docx(unpacked: int = 1 << 30) -> bytes:
    """The same bomb, with headers that declare a tiny unpacked size (the reader must count real bytes)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = b"<w:t>" + b"a" * ((1 << 20) - 5)
    data = b"".join([*(compressor.compress(chunk) for _ in range(unpacked >> 20)), compressor.flush()])
    return _stored_zip("word/document.xml", data, 1000, 1000)


def _stored_zip(name: str, deflated: bytes, declared: int, crc_size: int) -> bytes:
    """A zip holding one deflated member plus a Word package's other parts, with the sizes we declare."""
    del crc_size
    others = io.BytesIO()
    with zipfile.ZipFile(others, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
    base = zipfile.ZipFile(io.BytesIO(others.getvalue()))
    out = io.BytesIO()
    central = []
    members = [(info.filename, base.read(info.filename), 0) for info in base.infolist()]
    for filename, raw, _ in members:
        offset = out.tell()
        encoded = filename.encode()
        crc = zlib.crc32(raw)
        out.write(
            struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(raw), len(raw), len(encoded), 0)
        )
        out.write(encoded + raw)
        central.append((encoded, 0, crc, len(raw), len(raw), offset))
    offset = out.tell()
    encoded = name.encode()
    out.write(
        struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, 0, len(deflated), declared, len(encoded), 0)
    )
    out.write(encoded + deflated)
    central.append((encoded, 8, 0, len(deflated), declared, offset))
    start = out.tell()
    for encoded, method, crc, packed, size, at in central:
        out.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0,
                crc,
                packed,
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                at,
            )
        )
        out.write(encoded)
    size_of_central = out.tell() - start
    out.write(
        struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), size_of_central, start, 0)
    )
    return out.getvalue()


def many_members_docx(members: int = 20_000) -> bytes:
    """A zip with tens of thousands of tiny parts."""
    parts = {f"word/media/p{i}.bin": b"x" for i in range(members)}
    parts["word/document.xml"] = word_body(["正文"])
    return _docx(parts)


def deep_yaml_form(depth: int = 50_000) -> bytes:
    """A form whose YAML nests ``depth`` flow lists."""
    return b"unit: " + b"[" * depth + b"]" * depth + b"\nyear: 2025\n"


def alias_bomb_form(levels: int = 9) -> bytes:
    """A YAML form whose problems expand through aliases."""
    lines = ['a0: &a0 ["企业研发投入意愿不强", "企业研发投入意愿不强", "企业研发投入意愿不强"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    return (
        "unit: 青溪区科学技术局\nyear: 2025\n" + "\n".join(lines) + f"\nproblems: *a{levels - 1}\n"
    ).encode()


def binary_garbage(size: int = 200_000) -> bytes:
    """Bytes no text file holds."""
    return bytes(range(256)) * (size // 256)
