"""Passage weights: the pivoted l2 norm, and the collection statistics a built index keeps to weigh more.

A full build weighs every passage with the idf and the mean norm (the pivot) of the whole collection. Passages
added later (``drafter.search.increment``) are weighed with the statistics the index was built with, kept in
``Stats``, so their scores compare with the built passages' without touching them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

PIVOT_SLOPE = 0.3
"""How much of a passage's own length its norm keeps (1 = cosine); 0.2–0.35 rank alike on our evaluation set."""


@dataclass(frozen=True)
class Stats:
    """The collection statistics a built index was weighed with.

    ``pivot`` is the mean l2 norm of the passages' tf-idf rows, ``passages`` how many passages the idf was
    computed over, ``added`` how many passages were added (weighed with these statistics) or removed since
    without a rebuild; ``pivot == 0`` means unknown (an index saved before they were kept: it is rebuilt to add).
    """

    pivot: float = 0.0
    passages: int = 0
    added: int = 0


def norm_pivot(weights: Any) -> float:
    """The mean l2 norm of the non-empty rows of ``weights`` (passages × terms), 1.0 when all are empty."""
    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    return float(norms[norms > 0].mean()) if np.any(norms > 0) else 1.0


def pivoted_l2(weights: Any, slope: float = PIVOT_SLOPE, pivot: float | None = None) -> Any:
    """``weights`` (passages × terms) with each row divided by its pivoted l2 norm.

    Plain cosine over-rewards short passages (Singhal, Buckley & Mitra 1996): a 30-character line that
    repeats the query beats the paragraph that treats the subject. The pivoted norm
    ``(1 - slope) · pivot + slope · norm`` moves every passage's norm toward the pivot, by default the mean
    norm of ``weights`` (an index adding passages passes the one it was built with).
    """

    import scipy.sparse as sp  # lazy: start-up (building only)

    norms = np.sqrt(np.asarray(weights.multiply(weights).sum(axis=1)).ravel())
    pivot = norm_pivot(weights) if pivot is None else pivot
    return sp.diags((1.0 / ((1.0 - slope) * pivot + slope * norms)).astype(np.float32)) @ weights
