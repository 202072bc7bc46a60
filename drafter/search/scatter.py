"""A query's scores: the sum of its terms' rows of postings, weighted, into one score per passage.

Two ways:

- numpy's ``bincount``: the rows' postings laid end to end, then summed per passage (float64). Used by a
  command that searches a few times: it needs nothing beyond numpy.
- scipy's compiled sparse kernel (``csc_matvec``), about three times faster, once ``use_kernel`` was called:
  by a server preparing for many searches (``Drafter.prepare_for_searches``) and by the benchmarks, since
  importing ``scipy.sparse`` costs about 0.3 s that a cold ``drafter search`` or ``drafter draft`` should not
  pay. The query's rows are handed to it as the columns of a CSC matrix laid over the index's own arrays,
  without copying a posting: column ``2t`` is the ``t``-th term's span, column ``2t + 1`` the gap to the next
  term's span, with weight 0. Terms are taken in decreasing order of where their span starts, so each gap
  runs from a span's end back to an earlier start and holds no posting (the kernel's loop over it is empty).
  It sums in the index's own precision (float32): a score differs from the ``bincount`` one by about 1e-7 of
  it, and on the 633 evaluation queries the first 50 passages came back in the same order either way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

_kernel: list[Callable[..., None]] = []
"""scipy's ``csc_matvec`` once ``use_kernel`` loaded it (a list, so loading it needs no ``global``)."""


def use_kernel(on: bool = True) -> bool:
    """Sum with scipy's compiled kernel from now on (``on=False``: with numpy again, as a benchmark compares);
    whether it is in use (``False`` too when scipy lacks it: numpy's sum goes on)."""
    if not on:
        _kernel.clear()
        return False
    if not _kernel:
        try:
            from scipy.sparse import _sparsetools  # lazy: ~0.3 s of imports, paid by a server only

            _kernel.append(_sparsetools.csc_matvec)
        except (ImportError, AttributeError) as exc:
            log.info("scipy's sparse kernel not found (%s); scores are summed with numpy", exc)
            return False
    return True


def term_scores(indptr: Any, indices: Any, data: Any, columns: int, rows: Any, weights: Any) -> Any:
    """``M[rows]ᵀ · weights`` for a CSR matrix ``M`` given as its arrays (``columns`` wide): only those rows
    are read. The scores are of ``data``'s type with the kernel (``use_kernel``), float64 with numpy."""
    rows = np.asarray(rows, dtype=np.intp)
    if not _kernel or len(rows) == 0:
        return summed_by_bincount(indptr, indices, data, columns, rows, weights)
    order = np.argsort(-indptr[rows], kind="stable")
    taken = rows[order]
    spans = np.empty(2 * len(taken), dtype=indices.dtype)
    spans[0::2] = indptr[taken]
    spans[1::2] = indptr[taken + 1]
    factors = np.zeros(len(spans) - 1, dtype=data.dtype)
    factors[0::2] = np.asarray(weights)[order]
    scores = np.zeros(columns, dtype=data.dtype)
    _kernel[0](columns, len(factors), spans, indices, data, factors, scores)
    return scores


def summed_by_bincount(indptr: Any, indices: Any, data: Any, columns: int, rows: Any, weights: Any) -> Any:
    """``term_scores`` in numpy: the rows' postings laid end to end (each row's span a contiguous slice:
    copied, not gathered by an index array), then summed per column by ``bincount`` (float64)."""
    starts = indptr[rows]
    ends = indptr[rows + 1]
    lengths = ends - starts
    if not int(lengths.sum()):
        return np.zeros(columns, dtype=np.float64)
    spans = list(zip(starts.tolist(), ends.tolist(), strict=True))
    columns_of = np.concatenate([indices[lo:hi] for lo, hi in spans])
    contributions = np.concatenate([data[lo:hi] for lo, hi in spans]) * np.repeat(weights, lengths)
    return np.bincount(columns_of, weights=contributions, minlength=columns)  # float32 × float64 → float64
