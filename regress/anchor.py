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


FIRST_ORDER = "float first-order SGD"
FIRST_ORDER_LR = 2.0 ** -3  # for the batch-mean loss; ZO's lr is per-sample-sum scaled


def first_order_sgd(cfg, lr: float = FIRST_ORDER_LR) -> float:
    """Test accuracy of backpropagation SGD on cfg's MLP, loss, initial weights, batches
    and steps (torch autograd, float64): the conventional trainer of the same network."""
    import torch

    from ref_model import float_model
    from ref_model.trainer import RunSetup

    r = RunSetup(cfg)
    split = r.data
    x, labels = torch.from_numpy(split.inputs("train")), torch.from_numpy(split.train_labels)
    target = torch.from_numpy(split.one_hot("train"))
    theta = torch.from_numpy(r.theta0.copy()).requires_grad_(True)
    for t in range(cfg.steps):
        idx = torch.from_numpy(r.batches[t])
        y = float_model.forward(theta.view(1, -1), x[idx], r.sizes)
        loss = float_model.loss(y, target[idx], labels[idx], cfg.loss)[0]
        (grad,) = torch.autograd.grad(loss, theta)
        with torch.no_grad():
            theta -= lr * grad
    return float_model.accuracy(theta.detach(), torch.from_numpy(split.inputs("test")),
                                torch.from_numpy(split.test_labels), r.sizes)
