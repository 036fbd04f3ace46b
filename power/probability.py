"""Probability that a Liberty Boolean expression holds, from its inputs' duty cycles.

Inputs are taken as independent with P(x = 1) = duty(x), as static power tools do. The
probability is exact under that assumption: the expression's satisfying assignments are
enumerated once (cell functions have a handful of inputs), and P = sum over them of the
product of duty or 1 - duty. `sensitivity(f, x)` is P(df/dx), the probability that the
Boolean difference f|x=1 xor f|x=0 holds: the chance that a change of x reaches f.
Expressions are parsed by liberty-parser's grammar (to sympy), each string once.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from functools import cache

import numpy as np
import sympy

Duties = Mapping[str, np.ndarray]
MAX_INPUTS = 12


@cache
def _parse(text: str):
    from liberty.boolean_functions import parse_boolean_function
    return parse_boolean_function(text)


def pins_of(text: str) -> set[str]:
    return {str(s) for s in _parse(text).free_symbols}


@cache
def _minterms(text: str, difference_of: str | None = None) -> tuple[tuple[str, ...], tuple]:
    """(variables, satisfying assignments) of `text`, or of its Boolean difference."""
    expr = _parse(text)
    if difference_of is not None:
        x = sympy.Symbol(difference_of)
        expr = sympy.Xor(expr.subs(x, sympy.true), expr.subs(x, sympy.false))
    names = tuple(sorted(str(s) for s in expr.free_symbols))
    if len(names) > MAX_INPUTS:
        raise ValueError(f"expression '{text}' has {len(names)} inputs (at most {MAX_INPUTS})")
    symbols = [sympy.Symbol(n) for n in names]
    rows = tuple(values for values in itertools.product((0, 1), repeat=len(names))
                 if bool(expr.subs(dict(zip(symbols, values, strict=True)))))
    return names, rows


def probability(text: str, duty: Duties, shape=()) -> np.ndarray:
    """P(text holds); pins missing from `duty` count as 0.5."""
    return _sum_products(*_minterms(text), duty, shape)


def sensitivity(function: str, pin: str, duty: Duties, shape=()) -> np.ndarray:
    """P(a change of `pin` changes `function`)."""
    return _sum_products(*_minterms(function, pin), duty, shape)


def _sum_products(names, rows, duty: Duties, shape) -> np.ndarray:
    p = {n: np.asarray(duty[n]) if n in duty else np.asarray(0.5) for n in names}
    total = np.zeros(shape)
    for row in rows:
        term = np.ones(shape)
        for name, value in zip(names, row, strict=True):
            term = term * (p[name] if value else 1.0 - p[name])
        total = total + term
    return total
