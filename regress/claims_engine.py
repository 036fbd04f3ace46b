"""Energy per ZO step of the whole training engine, for each perturbation source it can select.

For every engine source (ref_model/source_table.py) the training bench runs
TrainStepsTest's plan (30 checked steps in runs of 1..10, random stalls, read-backs) on the
source's `_h16` variant of pezo_train_top (MLP 64-16-10: d = 1210, LANES 4, pool 2048) on
Verilator, with the RTL activity capture of regress/activity.py from reset release. The
RTL power proxy (power/proxy.py: calibrated for this design if a calibration matches,
otherwise the generic model, and said so) turns the activity into power; energy per ZO
step = proxy power x simulated time / steps checked, so it includes the test's bring-up,
stalls and read-backs. There is no gate-level figure: the engine's netlist has about
212k cells (20 min of synthesis per variant, hours of gate-level simulation for 30 steps).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ref_model.errors import ConfigError
from ref_model.source_table import engine_sources
from tb import harness
from tb.common.clocking import CLOCK_PERIOD_NS
from tb.train import specs as train_specs

TESTCASE = "TrainStepsTest"
SUFFIX = "h16"
SIMULATOR = "verilator"
WINDOW = 1000
CLOCK_PERIOD_S = CLOCK_PERIOD_NS * 1e-9
OUT = harness.REPO / "build" / "claims" / "engine"


@dataclass(frozen=True)
class EngineRun:
    """One source's run and what the RTL power proxy says about it."""

    source: str
    variant: str
    seed: int
    cycles: int
    steps: int
    proxy_w: float
    calibrated: bool
    model_id: str

    @property
    def energy_per_zo_step_j(self) -> float:
        return self.proxy_w * self.cycles * CLOCK_PERIOD_S / self.steps


def spec_for(source) -> harness.TestSpec:
    """TrainStepsTest on the source's d = 1210 variant."""
    variant = f"{source.train_variant}_{SUFFIX}"
    return harness.TestSpec(train_specs.BENCH, TESTCASE, variant, train_specs.params(variant),
                            train_specs.TIMEOUT_S)


def run_one(source, seed: int, cached_only: bool = False) -> EngineRun:
    """Simulate with activity capture (unless a run of the same RTL and seed is kept in
    build/claims/engine/) and price its activity with today's proxy model."""
    spec = spec_for(source)
    out = OUT / f"{spec.name}-s{seed}"
    key = harness.build_key(spec, SIMULATOR, "fst")
    record = out / "engine.json"
    kept = json.loads(record.read_text()) if record.is_file() else {}
    if kept.get("build_key") != key or not Path(kept.get("npz", "")).is_file():
        if cached_only:
            raise ConfigError(f"no kept run of {spec.name} seed {seed} for this RTL "
                              "(--cached-only)")
        kept = {**_simulate(spec, seed, out), "build_key": key}
        record.write_text(json.dumps(kept, indent=1))
    return _priced(source, spec, seed, kept)


def _simulate(spec: harness.TestSpec, seed: int, out: Path) -> dict:
    """One run with activity capture: its cycles, steps and activity file; ConfigError if
    the test or the capture fails."""
    from regress import activity

    result = harness.run(spec, seed, SIMULATOR, waves="fst", out_dir=out)
    if result.status != "pass":
        raise ConfigError(f"{spec.name} seed {seed} did not pass ({result.status}: "
                          f"{result.message}); log {result.log}")
    summary = activity.capture(result, spec.bench.toplevel, WINDOW)
    if "error" in summary:
        raise ConfigError(f"{spec.name} seed {seed}: activity capture failed: "
                          f"{summary['error']}")
    return {"cycles": int(summary["cycles"]), "steps": int(result.metrics["steps_checked"]),
            "npz": summary["files"]["npz"]}


def _priced(source, spec: harness.TestSpec, seed: int, kept: dict) -> EngineRun:
    from power import proxy
    from power.activity import Activity

    est = proxy.for_design(spec.bench.toplevel, spec.params).estimate(
        Activity.load(kept["npz"]), clock_period_s=CLOCK_PERIOD_S)
    return EngineRun(source.name, spec.variant, seed, kept["cycles"], kept["steps"],
                     float(est.total_w), bool(est.calibrated), est.model_id)


def jobs(seeds: list[int], sources=None) -> list[tuple]:
    """(source, seed) of every run: each engine source (or `sources`) x seed."""
    return [(s, seed) for s in (sources or engine_sources()) for seed in seeds]


def attempt(source, seed: int, cached_only: bool = False) -> EngineRun | str:
    """run_one, or the line that says why it failed (a failure is reported, not fatal)."""
    try:
        return run_one(source, seed, cached_only)
    except ConfigError as exc:
        return f"engine {source.name} seed {seed}: {exc}"


def split(done: list) -> tuple[list[EngineRun], list[str]]:
    """attempt() results: the runs, and the failure lines."""
    return ([r for r in done if isinstance(r, EngineRun)],
            [r for r in done if isinstance(r, str)])
