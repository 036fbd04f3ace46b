"""Float forward pass and losses (torch, float64), batched over parameter vectors.

For P parameter vectors theta (P, d) and inputs x (B, 64):
    h_0 = x;  h_l = relu(h_{l-1} W_l^T + b_l) for hidden layers;  y = h_{L-1} W_L^T + b_L
Losses, per parameter vector (reduction: sum over classes, mean over the batch):
    mse:   L = (1/B) sum_b sum_c (y_bc - t_bc)^2          t = one-hot label
    hinge: L = (1/B) sum_b sum_{c != y_b} max(0, 1 + y_bc - y_b,label)   (Weston-Watkins)
"""

from __future__ import annotations

import torch

from ref_model.layout import layers_of, unpack


def forward(theta: torch.Tensor, x: torch.Tensor, sizes: tuple[int, ...]) -> torch.Tensor:
    """Outputs y (P, B, C) for parameters theta (P, d) and inputs x (B, in)."""
    layers = layers_of(sizes)
    h = x
    for k, layer in enumerate(layers):
        w, b = unpack(theta, layer)
        h = torch.matmul(h, w.transpose(1, 2)) + b
        if k < len(layers) - 1:
            h = torch.relu(h)
    return h


def loss(y: torch.Tensor, target: torch.Tensor, labels: torch.Tensor, kind: str) -> torch.Tensor:
    """Per-parameter-vector loss (P,), for outputs y (P, B, C)."""
    if kind == "mse":
        return ((y - target) ** 2).sum(dim=2).mean(dim=1)
    correct = y.gather(2, labels.view(1, -1, 1).expand(y.shape[0], -1, 1))
    margins = torch.clamp(1.0 + y - correct, min=0.0) * (1.0 - target)
    return margins.sum(dim=2).mean(dim=1)


def accuracy(theta: torch.Tensor, x: torch.Tensor, labels: torch.Tensor,
             sizes: tuple[int, ...]) -> float:
    """Fraction of rows whose argmax output (lowest index on ties) is the label."""
    y = forward(theta.view(1, -1), x, sizes)[0]
    return float((y.argmax(dim=1) == labels).double().mean())
