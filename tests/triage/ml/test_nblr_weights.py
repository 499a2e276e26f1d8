"""Sample weights in the NB-LR head: a weight counts a row that many times (bench/triage_candidates.py
weights near-duplicate clusters and domain odds with it); no weights is the shipped behaviour."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from redressal.triage.ml.pipeline import _NBLogistic


def _data() -> tuple[sparse.csr_matrix, np.ndarray]:
    rng = np.random.default_rng(0)
    y = np.array(["card", "loan", "debt"] * 8)
    dense = rng.random((len(y), 12)) * (rng.random((len(y), 12)) < 0.4)
    for i, label in enumerate(y):  # one decisive feature per class, present in most of its rows
        dense[i, {"card": 0, "loan": 1, "debt": 2}[label]] += 0.5 * (i % 4 != 0)
    return sparse.csr_matrix(dense.astype(np.float32)), y


@pytest.mark.parametrize("class_weight", ["balanced", None])
def test_a_weight_of_two_equals_the_row_twice(class_weight):
    X, y = _data()
    weights = np.ones(len(y))
    weights[5] = 2.0
    weighted = _NBLogistic(C=3.0, class_weight=class_weight).fit(X, y, sample_weight=weights)
    rows = [*range(len(y)), 5]
    doubled = _NBLogistic(C=3.0, class_weight=class_weight).fit(X[rows], y[rows])

    for a, b in zip(weighted.ratios_, doubled.ratios_, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)  # float32 ratios
    np.testing.assert_allclose(weighted.predict_proba(X), doubled.predict_proba(X), atol=1e-4)
    # and the weight matters: the same fit without it differs
    plain = _NBLogistic(C=3.0, class_weight=class_weight).fit(X, y)
    assert not np.allclose(plain.ratios_[0], weighted.ratios_[0])


def test_no_weights_is_the_unweighted_fit_and_unit_weights_agree_with_it():
    X, y = _data()
    plain = _NBLogistic(C=3.0).fit(X, y)
    none = _NBLogistic(C=3.0).fit(X, y, sample_weight=None)
    ones = _NBLogistic(C=3.0).fit(X, y, sample_weight=np.ones(len(y)))

    for a, b in zip(plain.ratios_, none.ratios_, strict=True):
        assert np.array_equal(a, b)
    assert np.array_equal(plain.predict_proba(X), none.predict_proba(X))
    np.testing.assert_allclose(plain.predict_proba(X), ones.predict_proba(X), atol=1e-4)
