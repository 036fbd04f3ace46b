"""Liberty NLDM lookup tables: scalar, 1-D or 2-D, evaluated for arrays of operands.

Axes are named by the table's template variables (input_transition_time,
total_output_net_capacitance, ...). Between breakpoints the value is interpolated
linearly (bilinearly in 2-D); outside, the edge segment is extended, as static timing
tools do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Table:
    variables: tuple[str, ...]
    axes: tuple[np.ndarray, ...]
    values: np.ndarray

    @staticmethod
    def make(variables: list[str], axes: list[np.ndarray], values: np.ndarray) -> Table:
        values = np.asarray(values, dtype=float)
        if not axes:
            scalar = values.reshape(()) if values.size == 1 else values.ravel()[:1].reshape(())
            return Table((), (), scalar)
        shape = tuple(len(a) for a in axes)
        return Table(tuple(variables), tuple(axes), values.reshape(shape))

    def lookup(self, slew, load) -> np.ndarray:
        """Values at input transition `slew` (s) and output capacitance `load` (F)."""
        slew, load = np.asarray(slew, dtype=float), np.asarray(load, dtype=float)
        shape = np.broadcast(slew, load).shape
        if not self.axes:
            return np.full(shape, float(self.values))
        operands = [slew if "transition" in v else load for v in self.variables]
        if len(self.axes) == 1:
            return _interp_1d(self.axes[0], self.values, np.broadcast_to(operands[0], shape))
        return _interp_2d(self.axes, self.values, *(np.broadcast_to(o, shape) for o in operands))


def _segment(axis: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the segment [axis[i], axis[i+1]] holding (or nearest to) x, and x's fraction."""
    if len(axis) == 1:
        return np.zeros(x.shape, dtype=np.int64), np.zeros(x.shape)
    i = np.clip(np.searchsorted(axis, x, side="right") - 1, 0, len(axis) - 2)
    frac = (x - axis[i]) / (axis[i + 1] - axis[i])
    return i, frac


def _interp_1d(axis, values, x):
    if len(axis) == 1:
        return np.full(x.shape, values[0])
    i, f = _segment(axis, x)
    return values[i] * (1 - f) + values[i + 1] * f


def _interp_2d(axes, values, x, y):
    ax, ay = axes
    if len(ax) == 1:
        return _interp_1d(ay, values[0], y)
    if len(ay) == 1:
        return _interp_1d(ax, values[:, 0], x)
    i, fx = _segment(ax, x)
    j, fy = _segment(ay, y)
    return ((1 - fx) * (1 - fy) * values[i, j] + fx * (1 - fy) * values[i + 1, j]
            + (1 - fx) * fy * values[i, j + 1] + fx * fy * values[i + 1, j + 1])
