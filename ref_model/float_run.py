"""The float-point side of a training run (ref_model.trainer's one loop): torch tensors,
ref_model.step.float_step, ref_model.float_model's loss and accuracy."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch

from ref_model import float_model
from ref_model.step import float_step

if TYPE_CHECKING:
    from ref_model.trainer import RunSetup


class FloatRun:
    """Float arithmetic: theta is a float64 tensor; losses are in loss units."""

    fixed = False
    loss_scale = 1.0

    def __init__(self, r: RunSetup):
        self.r, self.cfg = r, r.cfg
        self.x = torch.from_numpy(r.data.inputs("train"))
        self.labels = torch.from_numpy(r.data.train_labels)
        self.target = torch.from_numpy(r.data.one_hot("train"))
        self.x_test = torch.from_numpy(r.data.inputs("test"))
        self.labels_test = torch.from_numpy(r.data.test_labels)

    def initial_theta(self) -> torch.Tensor:
        return torch.from_numpy(self.r.theta0.copy())

    def step(self, theta: torch.Tensor, t: int, z: np.ndarray):
        """(theta, loss+, loss-, g_hat as numpy, mean of loss+ and loss-) of step t."""
        cfg, idx = self.cfg, torch.from_numpy(self.r.batches[t])
        theta, lp, lm, g = float_step(theta, torch.from_numpy(z), self.x[idx], self.target[idx],
                                      self.labels[idx], cfg.eps, cfg.lr, self.r.sizes, cfg.loss)
        return theta, lp.numpy(), lm.numpy(), g.numpy(), float((lp + lm).mean()) / 2

    @staticmethod
    def weights(theta: torch.Tensor) -> np.ndarray:
        return theta.numpy()

    def test_accuracy(self, theta: torch.Tensor) -> float:
        return float_model.accuracy(theta, self.x_test, self.labels_test, self.r.sizes)

    def final(self, theta: torch.Tensor) -> tuple[float, float]:
        """(loss on the whole training set, training accuracy)."""
        full = float_model.forward(theta.view(1, -1), self.x, self.r.sizes)
        loss = float(float_model.loss(full, self.target, self.labels, self.cfg.loss)[0])
        return loss, float_model.accuracy(theta, self.x, self.labels, self.r.sizes)
