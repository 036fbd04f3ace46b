"""`pezo claims`: docs/claims.md and docs/claims/*.png, regenerated from measurements.

Four kinds of evidence, each from the module that measures it:
- the equal-throughput comparison of the perturbation subsystems (power/throughput.py:
  yosys Xilinx LUT/FF, sky130 area, gate-level power and energy per ZO step per seed);
- the front over pool size N and array size n (the same measurement at each size);
- test accuracy of the same perturbations (regress/claims_accuracy.py: the reference study);
- energy per ZO step of the whole training engine per source (regress/claims_engine.py).
`collect()` measures, `write()` turns an `Evidence` into the document and its plots (so the
arithmetic is tested on canned measurements), `generate()` does both.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from ref_model import source_table
from ref_model.errors import ConfigError
from regress import anchor, claims_engine, claims_plots
from regress import claims_accuracy as A
from regress import claims_doc as doc
from regress import claims_savings as S

DOC = "claims.md"
PLOTS = "claims"
# the front over N (pool) and n (array); the comparison's smallest pool N >= d joins it.
# Larger pools cost minutes each in sky130 (their words are flops: N=1212 is ~390k um^2)
POOL_SIZES = (256, 512, 1024)
ARRAY_SIZES = (2, 4, 8, 16)
# --quick: a pipeline check, not the figures
QUICK_ACCURACY_STEPS = 2000
QUICK_FRONT = {"pool_sizes": (256,), "array_sizes": (2,)}
QUICK_ENGINE_SOURCES = ("pool", "array-clt")


@dataclass(frozen=True)
class Options:
    out: Path
    seeds: tuple[int, ...] = (1, 2, 3)
    jobs: int = 2
    quick: bool = False
    pool_sizes: tuple[int, ...] = POOL_SIZES
    array_sizes: tuple[int, ...] = ARRAY_SIZES
    engine_seeds: tuple[int, ...] | None = None   # default: the first hardware seed
    accuracy_steps: int | None = None             # default: the committed study's
    train: bool = True       # False: accuracy only from the study and earlier runs
    cached_only: bool = False  # True: hardware and engine only from kept measurements
    command: str = "pezo claims"


@dataclass
class Evidence:
    """Everything the document shows; measurements are throughput.Measurement.to_dict()
    rows with `source` and `accuracy` (per seed, or None) added."""

    meta: dict
    comparison: list[dict]
    front: list[dict]                    # + kind, size, breaks
    engine: list = field(default_factory=list)   # claims_engine.EngineRun
    reference_accuracy: list[float] | None = None   # the ideal Gaussian, fresh numbers
    anchor_accuracy: list[float] | None = None      # logistic regression, the same splits


def check_options(opts: Options) -> None:
    if not opts.seeds or any(s < 0 for s in opts.seeds):
        raise ConfigError(f"--seeds must be non-negative integers, got {list(opts.seeds)}")
    if opts.engine_seeds is not None and (not opts.engine_seeds
                                          or any(s < 0 for s in opts.engine_seeds)):
        raise ConfigError(f"--engine-seeds must be non-negative integers, got "
                          f"{list(opts.engine_seeds)}")
    if opts.accuracy_steps is not None and opts.accuracy_steps < 1:
        raise ConfigError(f"--accuracy-steps must be >= 1, got {opts.accuracy_steps}")
    if opts.jobs < 1:
        raise ConfigError(f"--jobs must be >= 1, got {opts.jobs}")
    for name, sizes in (("--pool-sizes", opts.pool_sizes), ("--array-sizes", opts.array_sizes)):
        if not sizes or any(n < 1 for n in sizes):
            raise ConfigError(f"{name} must be positive integers, got {list(sizes)}")
    if opts.out.exists() and not opts.out.is_dir():
        raise ConfigError(f"--out {opts.out} is not a directory")


# ---------------------------------------------------------------- collect

def cell_of(cfg) -> A.Cell | None:
    """The reference study's cell for a throughput configuration (None: no reference
    perturbation, e.g. CLT-12)."""
    row = source_table.by_name(cfg.source)
    if row.perturb is None:
        return None
    size = cfg.params["POOL_N"] if cfg.kind == "pool" else cfg.lanes
    return A.Cell(row.perturb, row.reuse.value, size)


def front_configs(lanes: int, d: int, opts: Options) -> list[tuple[str, int, object]]:
    """(kind, size, config) of the front: unscaled pools over N, uniform arrays over n."""
    from power import throughput_config as throughput

    pools = sorted({*opts.pool_sizes, throughput.smallest_pool(d, lanes)})
    out = []
    for n in pools:
        if n % lanes or d % n == 0:
            print(f"claims: pool N={n} skipped (needs a multiple of P={lanes}, d mod N != 0)")
            continue
        out.append(("pool", n, throughput.pool_config(n, lanes, None, d)))
    out += [("array", n, throughput.array_config(n, "uniform", None, d))
            for n in sorted(set(opts.array_sizes))]
    return out


def _measure_hardware(throughput, cfg, seeds: tuple[int, ...], cached_only: bool) -> dict:
    """One configuration's Measurement dict, or {"name", "error"} (reported, not fatal)."""
    try:
        m = throughput.measure(cfg, seeds=seeds, jobs=1, kept_only=cached_only).to_dict()
    except ConfigError as exc:
        print(f"claims: {cfg.name} FAILED: {exc}")
        return {"name": cfg.name, "error": str(exc)}
    print(f"claims: measured {cfg.name} in {m['seconds']:.0f} s")
    return m


def _longest_first(cfg) -> tuple:
    """Pools first, the largest N first (their synthesis and gate-level runs are the
    longest jobs), so no core waits alone for one at the end."""
    return (cfg.kind != "pool", -cfg.params.get("POOL_N", 0), cfg.name)


def _measure_all(throughput, configs: list, engine_jobs: list, seeds: tuple[int, ...],
                 jobs: int, cached_only: bool = False) -> tuple[dict, list]:
    """Measurement dicts by configuration name (each configuration once) and the engine
    runs (claims_engine.attempt results), `jobs` at a time in one queue: synthesis is one
    process per design, so jobs in parallel keep the cores busy where seeds in parallel
    would wait for it; the pools go first, the engine runs next, the small arrays last."""
    unique = sorted({cfg.name: cfg for cfg in configs}.values(), key=_longest_first)
    pools = [c for c in unique if c.kind == "pool"]
    with ThreadPoolExecutor(jobs) as pool:
        hardware = {c.name: pool.submit(_measure_hardware, throughput, c, seeds, cached_only)
                    for c in pools}
        engine = [pool.submit(claims_engine.attempt, source, seed, cached_only)
                  for source, seed in engine_jobs]
        hardware |= {c.name: pool.submit(_measure_hardware, throughput, c, seeds, cached_only)
                     for c in unique if c.kind != "pool"}
        return ({c.name: hardware[c.name].result() for c in unique},
                [f.result() for f in engine])


def _timed(stages: dict, name: str, work):
    start = time.monotonic()
    out = work()
    stages[name] = time.monotonic() - start
    return out


def collect(opts: Options) -> Evidence:
    from power import throughput

    check_options(opts)
    if opts.quick:
        opts = replace(opts, **QUICK_FRONT)
    seeds = opts.seeds[:1] if opts.quick else opts.seeds
    # one engine run is ~30 s of Verilator per source (plus its build): one seed by default
    engine_seeds = opts.engine_seeds or seeds[:1]
    plan = A.default_plan(opts.out / PLOTS / A.RUNS_FILE)
    if opts.quick or opts.accuracy_steps:
        plan = A.Plan(QUICK_ACCURACY_STEPS if opts.quick else opts.accuracy_steps,
                      plan.seeds[:1] if opts.quick else plan.seeds, plan.cache, plan.study)
    stages: dict[str, float] = {}
    meta = run_meta(opts, seeds, engine_seeds, plan)
    configs = throughput.comparison_configs()
    lanes, d = configs[0].lanes, configs[0].d
    front = front_configs(lanes, d, opts)
    cells = {cfg.name: cell_of(cfg) for cfg in configs + [c for _, _, c in front]}
    ideal = A.Cell("gaussian", "fresh", None, "ideal")
    sources = ([source_table.by_name(n) for n in QUICK_ENGINE_SOURCES] if opts.quick
               else None)
    # reference training is pure CPU and independent of the simulations: one process
    # trains beside them for the whole run instead of waiting for them at the end
    with ThreadPoolExecutor(1) as beside:
        training = beside.submit(_timed, stages, "accuracy (beside the others)",
                                 lambda: A.accuracies([c for c in cells.values() if c]
                                                      + [ideal], plan, 1, opts.train))
        measured, engine_done = _timed(stages, "hardware and engine", lambda: _measure_all(
            throughput, configs + [cfg for _, _, cfg in front],
            claims_engine.jobs(list(engine_seeds), sources), seeds, opts.jobs,
            opts.cached_only))
        engine, engine_failures = claims_engine.split(engine_done)
        accuracy = training.result()
    acc = accuracy.by_cell

    def row(cfg) -> dict:
        cell = cells[cfg.name]
        return {**measured[cfg.name], "source": cfg.source,
                "accuracy_cell": cell.label() if cell else None,
                "accuracy": (acc[cell] or None) if cell else None}

    ok = {name for name, m in measured.items() if "error" not in m}
    comparison = [row(cfg) for cfg in configs if cfg.name in ok]
    points = [{**row(cfg), "kind": kind, "size": size, "breaks": kind == "pool" and size < d}
              for kind, size, cfg in front if cfg.name in ok]
    meta["failures"] = [f"{m['name']}: {m['error']}" for m in measured.values()
                        if "error" in m] + engine_failures
    meta["stages"] = stages
    meta["d"], meta["lanes"] = d, lanes
    meta["accuracy_origin"] = accuracy.origin
    if opts.cached_only:  # what the kept figures cost when they were measured
        kept = [m.get("times", {}) for m in measured.values() if "error" not in m]
        meta["kept_cost_s"] = {"synthesis": sum(t.get("cells_synthesis_s") or 0 for t in kept),
                               "simulation and power": sum(t.get("runs_s") or 0
                                                           for t in kept)}
    anchors = [anchor.logistic_regression("digits", s) for s in plan.seeds]
    return Evidence(meta, comparison, points, engine, acc[ideal] or None, anchors)


def run_meta(opts: Options, seeds, engine_seeds, plan: A.Plan) -> dict:
    from power import pdk
    from regress import report

    liberty = pdk.liberty_path()
    tools = {**report.tool_versions(), "yosys": _yosys_version()}
    return {"command": opts.command, "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "load": [os.getloadavg()[0]],
            "machine": report.machine(), "tools": tools, "liberty": liberty.name,
            "liberty_sha256": hashlib.sha256(liberty.read_bytes()).hexdigest(),
            "seeds": list(seeds), "engine_seeds": list(engine_seeds),
            "accuracy_seeds": list(plan.seeds), "accuracy_steps": plan.steps,
            "quick": opts.quick, "cached_only": opts.cached_only, "train": opts.train}


def _yosys_version() -> str | None:
    if shutil.which("yosys") is None:
        return None
    out = subprocess.run(["yosys", "-V"], capture_output=True, text=True, timeout=30).stdout
    return out.strip() or None


# ---------------------------------------------------------------- write

def accuracy_delta(best: dict, against: list[dict]) -> dict[str, str]:
    """Accuracy of the best PeZO configuration minus each baseline's, in points, seed-paired
    means."""
    out = {}
    for b in against:
        if best["accuracy"] and b["accuracy"]:
            diff = 100 * (statistics.fmean(best["accuracy"]) - statistics.fmean(b["accuracy"]))
            out[b["name"]] = f"{diff:+.1f} points"
    return out


def write(ev: Evidence, out: Path) -> Path:
    """docs/claims.md and its plots from the evidence; returns the document's path."""
    S.check(ev.comparison + ev.front)
    plots = out / PLOTS
    plots.mkdir(parents=True, exist_ok=True)
    best, against = S.best_pezo(ev.comparison), S.baselines(ev.comparison)
    table = S.savings_table(best, against)
    d, lanes = ev.meta["d"], ev.meta["lanes"]
    claims_plots.plot_savings(table, {f: v for f, (_, v) in doc.PAPER.items()},
                              f"{best['label']} against each Gaussian baseline, d = {d}, "
                              f"P = {lanes}", str(plots / "savings.png"))
    baseline_acc = next((statistics.fmean(b["accuracy"]) for b in against if b["accuracy"]),
                        None)
    claims_plots.plot_front(ev.front, baseline_acc, f"front over pool size N and array size "
                            f"n, d = {d}", str(plots / "front.png"))
    by_source = _engine_by_source(ev.engine)
    if by_source:
        claims_plots.plot_engine([(n, [r.energy_per_zo_step_j for r in rs])
                                  for n, rs in by_source],
                                 "training engine (64-16-10, d = 1210), TrainStepsTest",
                                 str(plots / "engine.png"))
    lines = doc.header(ev.meta) + _body(ev, best, against, table, by_source)
    if ev.meta.get("failures"):
        lines += ["## Not measured", "", *(f"- {f}" for f in ev.meta["failures"]), ""]
    path = out / DOC
    path.write_text("\n".join(lines) + "\n")
    return path


def _engine_by_source(runs: list) -> list[tuple[str, list]]:
    order = list(dict.fromkeys(r.source for r in runs))
    return [(name, [r for r in runs if r.source == name]) for name in order]


def _body(ev: Evidence, best: dict, against: list[dict], table: dict, by_source) -> list[str]:
    d, lanes = ev.meta["d"], ev.meta["lanes"]
    ref = doc.spread(ev.reference_accuracy, 1, 3)
    lines = ["## The paper's figures beside ours", "",
             f"The best PeZO configuration is **{best['label']}** (`{best['name']}`): the "
             "least gate-level energy per ZO step among the PeZO configurations. Change "
             "against each Gaussian baseline, mean over seeds (min..max) where the figure "
             "is measured per seed:", "",
             *doc.paper_table(best, against, table, accuracy_delta(best, against)),
             *doc.verdict(best, against, table),
             "![savings](claims/savings.png)", "", *doc.differences(d, lanes),
             "## Every configuration at equal throughput", "",
             *doc.config_table(ev.comparison),
             "Every PeZO configuration against every baseline:", "",
             *doc.all_savings(ev.comparison),
             "## No accuracy loss?", "",
             "Test accuracy is the reference model's (ref_model, float, digits MLP 64-16-10, "
             f"d = {d}), trained on the same perturbation as the hardware makes (the source "
             "row's perturbation, reuse and size; a CLT-12 array has no reference twin). "
             "Cells the committed study (docs/study/study.json, `pezo ref study`) holds are "
             "read from it, the others trained with the same settings and kept in "
             f"claims/{A.RUNS_FILE} (regress/claims_accuracy.py); {doc.origin(ev.meta)}. "
             f"The ideal Gaussian (torch randn, fresh numbers) reaches {ref}; the "
             f"conventional anchor, {anchor.NAME} (scikit-learn, first order) on the same "
             f"splits, {doc.spread(ev.anchor_accuracy, 1, 3)}.", "",
             *doc.accuracy_table(ev.comparison),
             "## The front over pool size N and array size n", "",
             "The PeZO pool without the scale over N (the smallest legal N >= d included) "
             f"and the uniform RNG array over n lanes, each delivering P = {lanes} (pool) or "
             "n (array) numbers per clock:", "",
             *doc.front_table(ev.front, d), "![front](claims/front.png)", ""]
    if by_source:
        lines += ["## Energy per ZO step of the whole training engine", "",
                  *doc.engine_intro(),
                  *doc.engine_table(by_source), "![engine](claims/engine.png)", ""]
    return lines


def generate(opts: Options) -> Path:
    start = time.monotonic()
    ev = collect(opts)
    ev.meta["load"].append(os.getloadavg()[0])
    ev.meta["wall_s"] = time.monotonic() - start
    return write(ev, opts.out)
