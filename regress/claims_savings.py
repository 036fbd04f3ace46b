"""The arithmetic of `pezo claims`: how much one configuration saves against another.

A saving is 100 x (ours / theirs - 1) percent, so -50% means PeZO needs half of what the
baseline needs (the paper's sign: "LUT -48.6%"). Synthesis figures (LUT, FF, area) are one
number per configuration; measured figures (power, energy) are one number per seed, and
the saving is taken seed by seed (the same seed drives both stimuli) and summarised as
mean, min and max.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from ref_model.errors import ConfigError

# (Measurement field, what it is): the figures the claims compare, in table order
COMPARED = (
    ("lut", "LUT (yosys synth_xilinx)"),
    ("ff", "FF (yosys synth_xilinx)"),
    ("area_um2", "sky130 cell area"),
    ("gl_power_w", "gate-level power (sky130 tt, 100 MHz)"),
    ("energy_per_zo_step_j", "energy per ZO step (gate level)"),
)
# the figure that picks "the best PeZO configuration": at equal throughput, energy per
# ZO step is power x time, and it also charges a design that needs more cycles per step
BEST_BY = "energy_per_zo_step_j"
MEASUREMENT_FIELDS = ("name", "label", "family", "lut", "ff", "area_um2", "gl_power_w",
                      "energy_per_zo_step_j")


@dataclass(frozen=True)
class Spread:
    """A figure over seeds: mean, min, max (all equal for a synthesis figure)."""

    mean: float
    low: float
    high: float

    @classmethod
    def of(cls, values: list[float]) -> Spread:
        return cls(statistics.fmean(values), min(values), max(values))

    def percent(self) -> str:
        """'-48.6%', or '-48.6% (-50.1..-47.0)' when the seeds differ."""
        head = f"{self.mean:+.1f}%"
        if round(self.low, 1) == round(self.high, 1):
            return head
        return f"{head} ({self.low:+.1f}..{self.high:+.1f})"


def per_seed(value) -> list[float]:
    """A figure as a list: one per seed, or the one synthesis figure."""
    values = list(value) if isinstance(value, (list, tuple)) else [value]
    return [float(v) for v in values]


def saving(ours, theirs) -> Spread | None:
    """Percent change of ours against theirs, seed by seed; None when theirs is 0."""
    a, b = per_seed(ours), per_seed(theirs)
    if len(a) != len(b) and 1 not in (len(a), len(b)):
        raise ConfigError(f"cannot compare figures over {len(a)} and {len(b)} seeds")
    n = max(len(a), len(b))
    a, b = (a * n if len(a) == 1 else a), (b * n if len(b) == 1 else b)
    if any(v == 0 for v in b):
        return None
    return Spread.of([100.0 * (x / y - 1.0) for x, y in zip(a, b, strict=True)])


def check(measurements: list[dict]) -> None:
    """ConfigError naming the first measurement that lacks a compared field."""
    for m in measurements:
        missing = [f for f in MEASUREMENT_FIELDS if f not in m]
        if missing:
            raise ConfigError(f"measurement {m.get('name', '?')} lacks {', '.join(missing)}")
        if m["family"] not in ("gaussian", "pezo"):
            raise ConfigError(f"measurement {m['name']}: family '{m['family']}' is not "
                              "gaussian or pezo")


def baselines(measurements: list[dict]) -> list[dict]:
    """The Gaussian configurations, in the order given."""
    return [m for m in measurements if m["family"] == "gaussian"]


def best_pezo(measurements: list[dict]) -> dict:
    """The PeZO configuration with the least mean energy per ZO step (then fewest LUTs)."""
    pezo = [m for m in measurements if m["family"] == "pezo"]
    if not pezo or not baselines(measurements):
        raise ConfigError("the comparison needs at least one PeZO and one Gaussian "
                          "configuration")
    return min(pezo, key=lambda m: (statistics.fmean(per_seed(m[BEST_BY])), m["lut"]))


def paired(ours: dict, theirs: dict, field: str) -> tuple:
    """The two figures on the seeds both were measured on (rows carry "seeds"); the means
    if they share none; a synthesis figure as it is."""
    a, b = ours[field], theirs[field]
    if not (isinstance(a, list) and isinstance(b, list) and "seeds" in ours
            and "seeds" in theirs):
        return a, b
    common = [s for s in ours["seeds"] if s in theirs["seeds"]]
    if not common:
        return statistics.fmean(a), statistics.fmean(b)
    return ([a[ours["seeds"].index(s)] for s in common],
            [b[theirs["seeds"].index(s)] for s in common])


def savings_table(ours: dict, against: list[dict]) -> dict[str, dict[str, Spread | None]]:
    """{field: {baseline name: saving of ours against it}} for every compared field."""
    return {f: {b["name"]: saving(*paired(ours, b, f)) for b in against} for f, _ in COMPARED}
