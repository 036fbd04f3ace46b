"""The RTL power proxy: gate-level power per window from RTL toggle counts, per design.

Model (docs/power.md, "The RTL power proxy"): the energy of one window is

    E_w = cycles_w x (e_cycle + e_bit x register bits) + sum_f e_f x toggles_f,w

where f runs over signal groups (power/proxy_features.py: a signal's path with generate
and bit indices stripped, x register or other bits; small groups merged into their
kind's rest; the clock's own toggles are in e_cycle).
e_cycle covers what every clock costs whatever the data (clock pins of the flops, leakage,
the memory words the RTL capture does not see); e_f is the energy of one toggle of a bit
of group f, which stands for the cells its changes drive. Power at clock period T is
E_w / (cycles_w x T). Coefficients are energies (J), so a model fitted at 100 MHz gives
power at any clock; they are fitted per design configuration against the sky130
gate-level engine (`pezo power calibrate`, power/calibrate.py) by non-negative least
squares with a small ridge toward the generic model.

The generic model (no calibration for the design, e.g. the training engine) has one
feature per kind over all bits and e_cycle + e_bit x (register bits of the design); it is
fitted over every calibrated block (power/calibration/generic.json).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.optimize import nnls

from power import proxy_features as pf
from ref_model.errors import ConfigError

FORMAT = "pezo-proxy 1"
CALIBRATION_DIR = Path(__file__).resolve().parent / "calibration"
GENERIC_FILE = "generic.json"
CORNER = "sky130_fd_sc_hd tt_025C_1v80"
DEFAULT_CLOCK_S = 10e-9
RIDGE = 1e-3        # weight of the pull toward the prior, per window (see _solve)
MIN_SHARE = 0.03    # a group with less of the toggles than this merges into its kind's rest
# Before any calibration: an LFSR-sized guess (J per cycle, per register bit and cycle,
# per toggle of a register / other bit); generic.json replaces it.
BUILTIN_GENERIC = {"cycle": 1e-13, "bit": 2.6e-14, "reg": 2.0e-14, "other": 4.0e-15}


@dataclass
class Estimate:
    total_w: float                    # whole run, windows weighted by their length
    window_w: np.ndarray              # per window
    by_instance: dict[str, float]     # W per RTL instance path ("" = the top), whole run
    calibrated: bool
    model_id: str


@dataclass
class ProxyModel:
    top: str
    params: dict[str, int]
    features: list[str]               # group keys '<kind>:<pattern>', each kind's rest last
    energy_per_toggle_j: np.ndarray   # (n_features,)
    energy_per_cycle_j: float
    energy_per_reg_bit_j: float = 0.0  # per register bit and cycle (generic model only)
    calibrated: bool = True
    rtl_sha256: str = ""
    model_id: str = "unsaved"
    meta: dict = field(default_factory=dict)  # fit/check metrics, tools, liberty, command

    # ------------------------------------------------------------------ estimate

    def estimate(self, activity, clock_period_s: float = DEFAULT_CLOCK_S) -> Estimate:
        """Proxy power of one RTL activity capture (power.activity.Activity)."""
        if not clock_period_s > 0:
            raise ConfigError(f"clock period must be > 0 s, got {clock_period_s}")
        parts = self._parts(activity, clock_period_s)
        cycles, per_bit, fixed = parts
        window_energy = self._window_energy(activity, cycles)
        window_w = window_energy / (np.maximum(cycles, 1e-9) * clock_period_s)
        seconds = cycles.sum() * clock_period_s
        total_w = float(window_energy.sum() / seconds) if seconds > 0 else 0.0
        by_instance = self._by_instance(activity, per_bit, fixed, seconds)
        return Estimate(total_w, window_w, by_instance, self.calibrated, self.model_id)

    def _parts(self, activity, clock_period_s):
        groups = pf.groups(activity)
        feature = pf.feature_index(groups.keys, self.features)[groups.bit_group]
        cycles = pf.window_cycles(activity, clock_period_s)
        per_bit = self.energy_per_toggle_j[feature] * pf.counted_toggles(activity).sum(axis=1)
        is_reg = np.array([pf.kind_of(n) == "reg" for n in activity.names], dtype=bool)
        share = is_reg if is_reg.any() else np.ones(activity.n_bits, dtype=bool)
        fixed = share / max(share.sum(), 1) * cycles.sum() * self._cycle_energy(int(is_reg.sum()))
        return cycles, per_bit, fixed

    def _cycle_energy(self, reg_bits: int) -> float:
        return self.energy_per_cycle_j + self.energy_per_reg_bit_j * reg_bits

    def _window_energy(self, activity, cycles) -> np.ndarray:
        x, reg_bits = design_matrix(activity, self.features, cycles)
        return cycles * (self._cycle_energy(reg_bits) + x @ self.energy_per_toggle_j)

    def _by_instance(self, activity, per_bit, fixed, seconds) -> dict[str, float]:
        energy = np.bincount(activity.instance, weights=per_bit + fixed,
                             minlength=len(activity.instances))
        scale = 1.0 / seconds if seconds > 0 else 0.0
        return {path: float(e * scale) for path, e in zip(activity.instances, energy,
                                                          strict=True)}

    # ------------------------------------------------------------------ files

    def to_dict(self) -> dict:
        return {"format": FORMAT, "top": self.top, "params": dict(sorted(self.params.items())),
                "rtl_sha256": self.rtl_sha256, "calibrated": self.calibrated,
                "corner": CORNER, "features": list(self.features),
                "energy_per_toggle_j": {f: float(e) for f, e in
                                        zip(self.features, self.energy_per_toggle_j,
                                            strict=True)},
                "energy_per_cycle_j": float(self.energy_per_cycle_j),
                "energy_per_reg_bit_j": float(self.energy_per_reg_bit_j), **self.meta}

    def save(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = _compact_lists(json.dumps(self.to_dict(), indent=1)) + "\n"
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        partial.write_text(text)
        os.replace(partial, path)   # readers never see half a file
        self.model_id = _file_id(path, text.encode())


_NUMBER_LIST = re.compile(r"\[\s+([-+0-9.eE,\s]+?)\s+\]")


def _compact_lists(text: str) -> str:
    """Lists of numbers on one line (a file's per-window rows stay readable)."""
    return _NUMBER_LIST.sub(lambda m: "[" + " ".join(m.group(1).split()) + "]", text)


_MODEL_KEYS = {"format", "top", "params", "rtl_sha256", "calibrated", "corner", "features",
               "energy_per_toggle_j", "energy_per_cycle_j", "energy_per_reg_bit_j"}


def _file_id(path: Path, data: bytes) -> str:
    return f"{path.name}@{hashlib.sha256(data).hexdigest()[:12]}"


def from_dict(record: dict, model_id: str) -> ProxyModel:
    """A model from its JSON record; ConfigError (via KeyError/ValueError) when malformed."""
    if record.get("format") != FORMAT:
        raise ValueError(f"format is {record.get('format')!r}, not {FORMAT!r}")
    features = [str(f) for f in record["features"]]
    for kind in pf.KINDS:
        if pf.rest_feature(kind) not in features:
            raise ValueError(f"feature {pf.rest_feature(kind)!r} missing")
    energies = np.array([float(record["energy_per_toggle_j"][f]) for f in features])
    if not np.all(np.isfinite(energies)):
        raise ValueError("a coefficient is not a finite number")
    meta = {k: v for k, v in record.items() if k not in _MODEL_KEYS}
    return ProxyModel(str(record["top"]), {str(k): int(v) for k, v in record["params"].items()},
                      features, energies, float(record["energy_per_cycle_j"]),
                      float(record.get("energy_per_reg_bit_j", 0.0)),
                      bool(record.get("calibrated", True)), str(record.get("rtl_sha256", "")),
                      model_id, meta)


def read_file(path: str | Path) -> ProxyModel:
    """Any calibration file; one ConfigError line naming it when it is unreadable or corrupt."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"calibration file {path} cannot be read: {exc.strerror}") from None
    return _parse(str(path), data)


@lru_cache(maxsize=64)
def _parse(path: str, data: bytes) -> ProxyModel:
    try:
        return from_dict(json.loads(data), _file_id(Path(path), data))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        why = f"missing {exc}" if isinstance(exc, KeyError) else str(exc).splitlines()[0]
        raise ConfigError(f"calibration file {path} is corrupt ({why})") from None


def describe(top: str, params: dict) -> str:
    return f"{top} {json.dumps(dict(sorted(params.items())), separators=(',', ':'))}"


def load_file(path: str | Path, top: str, params: dict[str, int]) -> ProxyModel:
    """The model in `path`, which must be for this design (else one ConfigError line)."""
    model = read_file(path)
    if not model.calibrated:
        return model  # the generic model is for any design
    if model.top != top or model.params != dict(params):
        raise ConfigError(f"calibration file {path} is for {describe(model.top, model.params)}, "
                          f"not {describe(top, dict(params))}")
    return model


def for_design(top: str, params: dict[str, int],
               directory: Path = CALIBRATION_DIR) -> ProxyModel:
    """The calibrated model of this design configuration, else the generic model."""
    for path in sorted(Path(directory).glob("*.json")):
        if path.name == GENERIC_FILE:
            continue
        model = read_file(path)
        if model.top == top and model.params == dict(params):
            return model
    return generic(directory)


def generic(directory: Path = CALIBRATION_DIR) -> ProxyModel:
    """The design-independent model: generic.json when fitted, else the built-in guess."""
    path = Path(directory) / GENERIC_FILE
    if path.is_file():
        return read_file(path)
    return generic_model(BUILTIN_GENERIC, "generic")


def generic_model(energies: dict[str, float], model_id: str = "generic",
                  meta: dict | None = None) -> ProxyModel:
    features = [pf.rest_feature(k) for k in pf.KINDS]
    return ProxyModel("*", {}, features, np.array([energies[k] for k in pf.KINDS]),
                      energies["cycle"], energies["bit"], calibrated=False, model_id=model_id,
                      meta=meta or {})


def sources_sha256(paths) -> str:
    """sha256 over the design's source files (name and contents, in the given order)."""
    digest = hashlib.sha256()
    for p in paths:
        p = Path(p)
        digest.update(p.name.encode() + b"\0" + p.read_bytes())
    return digest.hexdigest()


# ---------------------------------------------------------------------- fitting


def design_matrix(activity, features: list[str], cycles: np.ndarray) -> tuple[np.ndarray, int]:
    """(toggles per cycle of every feature per window (n_windows, n_features), register bits)."""
    groups = pf.groups(activity)
    index = pf.feature_index(groups.keys, features)
    toggles = np.zeros((len(features), activity.n_windows))
    np.add.at(toggles, index, groups.toggles)
    reg_bits = int(sum(b for k, b in zip(groups.keys, groups.bits, strict=True)
                       if k.startswith("reg:")))
    return (toggles / np.maximum(cycles, 1e-9)).T, reg_bits


def _check_samples(samples) -> None:
    if not samples:
        raise ConfigError("no calibration samples")
    for i, (act, watts) in enumerate(samples):
        if len(np.asarray(watts)) != act.n_windows:
            raise ConfigError(f"calibration sample {i}: {act.n_windows} RTL windows but "
                              f"{len(np.asarray(watts))} gate-level windows")


def fit(samples, top: str, params: dict[str, int], clock_period_s: float = DEFAULT_CLOCK_S,
        prior: ProxyModel | None = None, max_features: int | None = None,
        min_share: float = MIN_SHARE, ridge: float = RIDGE) -> ProxyModel:
    """Fit one design's model on (RTL activity, gate-level W per window) samples."""
    _check_samples(samples)
    n_windows = sum(act.n_windows for act, _ in samples)
    limit = max_features or int(np.clip(n_windows // 4, len(pf.KINDS), 10))
    features = pf.choose([pf.groups(act) for act, _ in samples], limit, min_share)
    prior = prior or generic()
    x, cycles, watts, reg_bits = _stack(samples, features)
    prior_e = prior.energy_per_toggle_j[pf.feature_index(features, prior.features)]
    prior_c = prior._cycle_energy(reg_bits)
    design = np.column_stack([np.ones(len(x)), x]) / clock_period_s   # J -> W
    coef = _solve(design, watts, cycles, np.r_[prior_c, prior_e], ridge)
    return ProxyModel(top, dict(params), features, coef[1:], float(coef[0]))


def _stack(samples, features):
    xs, cycles, watts, reg_bits = [], [], [], 0
    for act, w in samples:
        cycles.append(pf.window_cycles(act, DEFAULT_CLOCK_S))
        x, reg_bits = design_matrix(act, features, cycles[-1])
        xs.append(x)
        watts.append(np.asarray(w, dtype=float))
    return np.vstack(xs), np.concatenate(cycles), np.concatenate(watts), reg_bits


def _solve(design, watts, cycles, prior, ridge) -> np.ndarray:
    """Non-negative least squares, windows weighted by their cycles, plus ridge x n_windows x
    (each term's RMS contribution's deviation from the prior's)^2: a weak pull that only
    decides what the data leaves open (collinear or silent groups)."""
    weight = np.sqrt(cycles / cycles.mean())
    scale = np.sqrt((design ** 2).mean(axis=0))
    scale = np.where(scale > 0, scale, 1.0)
    unit = float(np.abs(watts).mean()) or 1.0
    # unknowns u = coefficient x its column's RMS / mean power: every term on one scale
    a = design / scale * weight[:, None]
    b = watts / unit * weight
    pull = np.sqrt(ridge * len(watts))
    a = np.vstack([a, pull * np.eye(design.shape[1])])
    b = np.concatenate([b, pull * prior * scale / unit])
    solution, _ = nnls(a, b, maxiter=50 * design.shape[1])
    return solution * unit / scale


def score(model: ProxyModel, samples, clock_period_s: float = DEFAULT_CLOCK_S) -> dict:
    """Per-window R^2 (all samples pooled, windows weighted by cycles) and per sample:
    R^2, total power of proxy and gate level, and the relative error of the total."""
    _check_samples(samples)
    per, ys, fs, ws = [], [], [], []
    for act, watts in samples:
        est = model.estimate(act, clock_period_s)
        cycles = pf.window_cycles(act, clock_period_s)
        watts = np.asarray(watts, dtype=float)
        gl_total = float((watts * cycles).sum() / cycles.sum())
        per.append({"r2": r2(watts, est.window_w, cycles), "gl_w": gl_total,
                    "proxy_w": est.total_w, "total_error": est.total_w / gl_total - 1.0,
                    "windows": act.n_windows})
        ys.append(watts)
        fs.append(est.window_w)
        ws.append(cycles)
    pooled = r2(np.concatenate(ys), np.concatenate(fs), np.concatenate(ws))
    return {"r2": pooled, "total_error": [p["total_error"] for p in per], "samples": per}


def r2(observed, predicted, weights) -> float:
    """Weighted coefficient of determination (1 - SSE/SST)."""
    mean = np.average(observed, weights=weights)
    sst = float((weights * (observed - mean) ** 2).sum())
    sse = float((weights * (observed - predicted) ** 2).sum())
    return 1.0 - sse / sst if sst > 0 else (1.0 if sse == 0 else float("-inf"))
