"""The .docx container written directly, so the template's unchanged files are compressed once per process.

An export changes three files of the template (the body, the comments, the core properties); the other
fifteen were compressed again by every export, a third of its time. A ``Member`` is one file compressed
(raw deflate at zlib's default level, as ``zipfile`` compresses it) with its CRC; ``archive`` writes the
members as a zip file with ``zipfile``'s headers (local header, data, central directory, end record; no
data descriptors, no zip64: a draft is far below 4 GB). ``zipfile`` and Word read it; the files inside are
the same bytes ``zipfile.writestr`` would store (``tests/draft/test_docx.py``).
"""

from __future__ import annotations

import struct
import time
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

VERSION = 20
"""Version needed to extract (2.0: deflate), and the version made by, as ``zipfile`` writes them."""
MADE_BY = (3 << 8) | VERSION
"""Made on a Unix-like system (``zipfile``'s ``create_system``)."""
ATTRIBUTES = 0o600 << 16
"""``-rw-------``, as ``zipfile.writestr`` gives a file named by a string."""
LOCAL = struct.Struct("<IHHHHHIIIHH")
CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
END = struct.Struct("<IHHHHIIH")


@dataclass(frozen=True)
class Member:
    """One file of the archive: its name, its bytes' CRC-32 and length, and the bytes compressed."""

    name: str
    crc: int
    size: int
    compressed: bytes


def member(name: str, data: bytes) -> Member:
    """``data`` compressed under ``name``."""
    packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return Member(name, zlib.crc32(data), len(data), packer.compress(data) + packer.flush())


def archive(members: Sequence[Member], when: float | None = None) -> bytes:
    """The zip file of ``members``, in order, each dated ``when`` (now by default: local time, as ``zipfile``)."""
    year, month, day, hour, minute, second = time.localtime(when)[:6]
    dos_date = (max(year, 1980) - 1980) << 9 | month << 5 | day
    dos_time = hour << 11 | minute << 5 | second // 2
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for item in members:
        name = item.name.encode("ascii") if item.name.isascii() else item.name.encode("utf-8")
        flags = 0 if item.name.isascii() else 0x800
        fields = (8, dos_time, dos_date, item.crc, len(item.compressed), item.size, len(name))
        header = LOCAL.pack(0x04034B50, VERSION, flags, *fields, 0)
        central.append(
            CENTRAL.pack(0x02014B50, MADE_BY, VERSION, flags, *fields, 0, 0, 0, 0, ATTRIBUTES, offset) + name
        )
        chunks += (header, name, item.compressed)
        offset += len(header) + len(name) + len(item.compressed)
    directory = b"".join(central)
    end = END.pack(0x06054B50, 0, 0, len(members), len(members), len(directory), offset, 0)
    return b"".join([*chunks, directory, end])
