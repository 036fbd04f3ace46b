"""Parameter layout of the MLP / linear model and its seeded initialisation.

theta is one flat vector of length d: for each layer l (fan_in i, fan_out o), W_l
(o x i, row-major) then b_l (o). d = sum(o*i + o); 1210 for 64-16-10.
Initialisation (PyTorch's nn.Linear default): W, b ~ U(-1/sqrt(i), 1/sqrt(i)),
drawn from a torch.Generator seeded by seed*1000003 + 17, layer by layer, W then b.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import torch


@dataclass(frozen=True)
class Layer:
    fan_in: int
    fan_out: int
    w_offset: int   # start of W in theta
    b_offset: int   # start of b in theta


def layers_of(sizes: tuple[int, ...]) -> list[Layer]:
    out, off = [], 0
    for i, o in itertools.pairwise(sizes):
        out.append(Layer(i, o, off, off + i * o))
        off += i * o + o
    return out


def dimension(sizes: tuple[int, ...]) -> int:
    """d = sum over layers of fan_out * (fan_in + 1)."""
    return sum(o * (i + 1) for i, o in itertools.pairwise(sizes))


def init_theta(sizes: tuple[int, ...], seed: int) -> np.ndarray:
    """Initial float64 parameter vector (d,)."""
    gen = torch.Generator().manual_seed(seed * 1000003 + 17)
    parts = []
    for layer in layers_of(sizes):
        bound = 1.0 / np.sqrt(layer.fan_in)
        n = layer.fan_in * layer.fan_out + layer.fan_out
        parts.append((torch.rand(n, generator=gen, dtype=torch.float64) * 2 - 1) * bound)
    return torch.cat(parts).numpy()


def unpack(theta, layer: Layer):
    """Views (W, b) of a batch of parameter vectors theta (P, d): W (P, o, i), b (P, 1, o)."""
    p = theta.shape[0]
    w = theta[:, layer.w_offset:layer.b_offset].reshape(p, layer.fan_out, layer.fan_in)
    b = theta[:, layer.b_offset:layer.b_offset + layer.fan_out].reshape(p, 1, layer.fan_out)
    return w, b
