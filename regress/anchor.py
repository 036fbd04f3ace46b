"""The conventional anchor of every accuracy table: scikit-learn's logistic regression
(lbfgs, first order) on a run's split and inputs (code/16), so a reader sees how far ZO
training is from a conventional trainer on the same data."""

from __future__ import annotations

from ref_model import data

NAME = "logistic regression"


def logistic_regression(dataset: str, seed: int) -> float:
    """Test accuracy of logistic regression on `dataset`'s split for `seed`."""
    from sklearn.linear_model import LogisticRegression

    split = data.load(dataset, seed)
    model = LogisticRegression(max_iter=5000).fit(split.inputs("train"), split.train_labels)
    return float(model.score(split.inputs("test"), split.test_labels))
