"""The related terms' neighbour lists: each word's most similar words, chosen as a whole row's selection
chooses them, ties for the last place included."""

from __future__ import annotations

import numpy as np

from drafter.search.related import MIN_SIMILARITY, NEIGHBOURS, _neighbours


def _row_by_row(vocabulary: list[str], vectors: np.ndarray) -> dict[str, list[tuple[str, float]]]:
    """The selection over every word of each row (``argpartition``, then those over the threshold)."""
    out: dict[str, list[tuple[str, float]]] = {}
    sims = vectors @ vectors.T
    for i, row in enumerate(sims):
        row[i] = -1.0
        top = np.argpartition(-row, NEIGHBOURS)[:NEIGHBOURS]
        best = sorted(((float(row[j]), int(j)) for j in top if row[j] >= MIN_SIMILARITY), reverse=True)
        if best:
            out[vocabulary[i]] = [(vocabulary[j], round(s, 3)) for s, j in best]
    return out


def test_neighbours_are_the_most_similar_words_over_the_threshold_ties_included() -> None:
    rng = np.random.default_rng(7)
    # Clusters of near vectors (many words over the threshold), exact copies (tied similarities, also for
    # the last place) and loners (no neighbour at all).
    centres = rng.normal(size=(40, 16))
    vectors = np.vstack(
        [
            np.repeat(centres, 9, axis=0) + 0.35 * rng.normal(size=(360, 16)),
            np.repeat(centres[:5], 10, axis=0),
            rng.normal(size=(300, 16)),
        ]
    ).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    vocabulary = [f"词{i}" for i in range(len(vectors))]
    expected = _row_by_row(vocabulary, vectors.copy())
    got = _neighbours(vocabulary, vectors)
    assert got == expected
    assert any(len(v) == NEIGHBOURS for v in got.values())  # rows with more than NEIGHBOURS candidates
    assert any(len(v) < NEIGHBOURS for v in got.values())  # rows with fewer
    assert len(got) < len(vocabulary)  # and words with none
