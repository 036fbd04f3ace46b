"""Acceptance checks of a calibration, across design configurations.

- Ratios: for every held-out seed, the proxy's power ratio of each Gaussian source to each
  PeZO source must be within RATIO_TOLERANCE of the gate-level ratio. Gaussian sources are
  the block variants of the Gaussian rows of ref_model/source_table.py (array-clt,
  array-clt12, array-icdf, array-box-muller); PeZO sources are the pool variants and the
  uniform RNG array (array-uniform).
- Generic model: one fit over every calibrated block (design-independent features), and
  its leave-one-design-out error of the total power.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import nnls

from power import proxy
from power import proxy_features as pf
from ref_model.source_table import SOURCES, Dist

R2_MIN = 0.95
TOTAL_ERROR_MAX = 0.05
RATIO_TOLERANCE = 0.05
GENERIC_FEATURES = [pf.rest_feature(k) for k in pf.KINDS]


def source_family(bench: str, variant: str) -> str | None:
    """'gaussian', 'pezo' or None (the LFSR and the scale stage are no perturbation source)."""
    if bench == "pool":
        return "pezo"
    for source in SOURCES:
        if source.variant == variant and source.block_bench == bench:
            if source.gaussian:
                return "gaussian"
            return "pezo" if source.dist is Dist.UNIFORM else None
    return None


def ratio_checks(records: dict[str, dict]) -> list[dict]:
    """Gaussian/PeZO power ratios, proxy against gate level, per common held-out seed.

    records: {"<bench>.<variant>": calibration record (its "bench", "variant", "check")}."""
    family = {name: source_family(r["bench"], r["variant"]) for name, r in records.items()}
    totals = {name: {s["seed"]: s for s in r["check"]["samples"]} for name, r in records.items()}
    out = []
    for g in sorted(n for n, f in family.items() if f == "gaussian"):
        for p in sorted(n for n, f in family.items() if f == "pezo"):
            for seed in sorted(totals[g].keys() & totals[p].keys()):
                a, b = totals[g][seed], totals[p][seed]
                gl_ratio = a["gl_w"] / b["gl_w"]
                proxy_ratio = a["proxy_w"] / b["proxy_w"]
                error = proxy_ratio / gl_ratio - 1.0
                out.append({"gaussian": g, "pezo": p, "seed": seed, "gl_ratio": gl_ratio,
                            "proxy_ratio": proxy_ratio, "error": error,
                            "ok": abs(error) <= RATIO_TOLERANCE})
    return out


def generic_rows(activity, watts) -> list[list[float]]:
    """Per window [cycles, register toggles per cycle, other toggles per cycle, register
    bits, gate-level W]: what the generic model is fitted on (kept in calibration files)."""
    cycles = pf.window_cycles(activity, proxy.DEFAULT_CLOCK_S)
    x, reg_bits = proxy.design_matrix(activity, GENERIC_FEATURES, cycles)
    return [[float(c), float(r), float(o), float(reg_bits), float(w)]
            for c, (r, o), w in zip(cycles, x, watts, strict=True)]


def fit_generic(rows_by_design: dict[str, np.ndarray],
                clock_period_s: float = proxy.DEFAULT_CLOCK_S) -> dict[str, float]:
    """Energies of the generic model; every design weighs the same and relative error counts
    (designs span 100 uW to 50 mW)."""
    a_rows, b_rows = [], []
    for rows in rows_by_design.values():
        cycles, reg, other, bits, watts = rows.T
        design = np.column_stack([np.ones(len(rows)), bits, reg, other]) / clock_period_s
        weight = np.sqrt(cycles / cycles.sum()) / (watts * cycles / cycles.sum()).sum()
        a_rows.append(design * weight[:, None])
        b_rows.append(watts * weight)
    a, b = np.vstack(a_rows), np.concatenate(b_rows)
    scale = np.sqrt((a ** 2).mean(axis=0))
    scale = np.where(scale > 0, scale, 1.0)
    solution, _ = nnls(a / scale, b)
    cycle, bit, reg, other = solution / scale
    return {"cycle": cycle, "bit": bit, "reg": reg, "other": other}


def generic_total(energies: dict[str, float], rows: np.ndarray,
                  clock_period_s: float = proxy.DEFAULT_CLOCK_S) -> tuple[float, float]:
    """(generic proxy W, gate-level W) over one design's rows, windows weighted by cycles."""
    cycles, reg, other, bits, watts = rows.T
    energy = cycles * (energies["cycle"] + energies["bit"] * bits + energies["reg"] * reg
                       + energies["other"] * other)
    seconds = cycles.sum() * clock_period_s
    return float(energy.sum() / seconds), float((watts * cycles).sum() / cycles.sum())


def leave_one_out(rows_by_design: dict[str, np.ndarray]) -> dict[str, float]:
    """Relative error of each design's total under the generic model fitted without it."""
    out = {}
    for name, rows in rows_by_design.items():
        others = {n: r for n, r in rows_by_design.items() if n != name}
        if not others:
            continue
        proxy_w, gl_w = generic_total(fit_generic(others), rows)
        out[name] = proxy_w / gl_w - 1.0
    return out
