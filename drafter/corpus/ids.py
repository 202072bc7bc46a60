"""What both corpus stores share about ids and the fingerprint: prefixes, the id-set hash, timestamps."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

RE_HEX = re.compile(r"[0-9a-f]+")
MIN_PREFIX = 6
"""The fewest leading hex digits of an id a user may give."""
NO_IDS = "0" * 64
"""The id-set hash of an empty corpus."""


def now() -> str:
    """The current UTC time as stored (ISO 8601, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def xor_id(ids_xor: str, doc_id: str) -> str:
    """``ids_xor`` with ``doc_id``'s hash toggled: the set of ids as one hash, updated in O(1)."""
    digest = int(hashlib.sha256(doc_id.encode()).hexdigest(), 16)
    return f"{int(ids_xor, 16) ^ digest:064x}"
