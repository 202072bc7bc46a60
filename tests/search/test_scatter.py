"""A query's scores summed by scipy's compiled kernel equal numpy's sum, and the kernel is the one in use."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp

from drafter.search import scatter
from drafter.search.scatter import term_scores, use_kernel


@pytest.fixture(scope="module")
def matrix() -> sp.csr_matrix:
    rng = np.random.default_rng(7)
    dense = rng.random((60, 500), dtype=np.float32)
    dense[dense < 0.85] = 0.0  # sparse rows of varied lengths
    dense[5] = 0.0  # a term no passage holds
    return sp.csr_matrix(dense)


def test_a_server_sums_with_the_compiled_kernel_and_a_command_never_imports_scipy_sparse() -> None:
    # Prepared for many searches (a server), scores are summed by scipy's kernel: a scipy upgrade that moved
    # it shows here, as every search would cost about three times as much. A command that searches once
    # never pays scipy.sparse's imports (~0.3 s of a cold ``drafter search``).
    probe = (
        "import sys; from drafter.app import Drafter; from drafter.search import scatter; "
        "d = Drafter.__new__(Drafter); print('scipy.sparse' in sys.modules); "
        "d.prepare_for_searches(); print(bool(scatter._kernel), 'scipy.sparse' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True", "True"]


@pytest.mark.parametrize(
    "rows",
    [[3], [0, 1, 2], [40, 2, 17, 5, 59], [59, 58, 0], list(range(60)), [5]],
    ids=["one", "in-order", "shuffled", "descending", "every", "empty-row"],
)
def test_the_kernel_sums_exactly_the_rows_asked_for(matrix: sp.csr_matrix, rows: list[int]) -> None:
    ids = np.array(rows, dtype=np.intp)
    weights = np.linspace(1.0, 0.2, len(rows))
    expected = matrix[ids].T.toarray().astype(np.float64) @ weights
    was_in_use = bool(scatter._kernel)  # left as found: a server test of this process may have loaded it
    try:
        assert use_kernel()
        got = term_scores(matrix.indptr, matrix.indices, matrix.data, matrix.shape[1], ids, weights)
        use_kernel(False)
        fallback = term_scores(matrix.indptr, matrix.indices, matrix.data, matrix.shape[1], ids, weights)
    finally:
        use_kernel(was_in_use)
    assert got.shape == fallback.shape == (500,)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fallback, expected, rtol=1e-9, atol=1e-12)
    # The passages a query ranks first come back in the same order either way.
    assert list(np.argsort(-got, kind="stable")[:20]) == list(np.argsort(-fallback, kind="stable")[:20])
