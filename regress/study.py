"""`ref study`: test accuracy over perturbation x reuse mode x pool size x arithmetic.

Rows (d = 1210 for the default MLP), for the perturbations of the training engine's
sources and the fresh baselines in ref_model/source_table.py (today's in brackets):
    the first Gaussian / ideal / fresh               the float reference baseline
    Gaussian ones (gaussian: Irwin-Hall of 3 LFSR words): fresh, pool min/max(pool_sizes),
                                                     array n
    scaled ones (uniform-scaled): fresh, pool N for every N in pool_sizes, array n
    the others (uniform, uniform01): fresh, pool max(pool_sizes)
With full=True every reference perturbation gets fresh, every pool size and the array.
Runs already in out_dir/study.json with an identical configuration are reused, so
widening the grid computes only the new cells.
Each row runs in float and fixed point, for every seed, with TrainConfig defaults
otherwise; runs are spread over `jobs` processes. Outputs in out_dir:
study.md (table), study.png (chart), study.json (every run's summary).
"""

from __future__ import annotations

import json
import os
import statistics
from dataclasses import replace

from ref_model.config import TrainConfig
from ref_model.layout import dimension
from ref_model.source_table import SOURCES, Reuse, perturbation
from regress import anchor
from regress.local_backend import LocalPool


def studied(full: bool = False) -> list[str]:
    """The perturbations: those of the engine's sources and the fresh baselines (every
    reference perturbation with full=True); Gaussian first, then scaled, then the rest."""
    keep = [s.perturb for s in SOURCES if s.perturb is not None
            and (full or s.in_engine or s.reuse is Reuse.FRESH)]
    order = list(dict.fromkeys(keep))

    def rank(name: str) -> tuple[bool, bool, int]:
        kind = perturbation(name)
        return not kind.gaussian, not kind.scaled, order.index(name)

    return sorted(order, key=rank)


def rows(pool_sizes: list[int], array_size: int, full: bool = False) -> list[dict]:
    """The study's configurations (without arith and seed)."""
    small, large = min(pool_sizes), max(pool_sizes)
    perturbs = studied(full)
    baseline = next(p for p in perturbs if perturbation(p).gaussian)
    out = [{"perturb": baseline, "generator": "ideal", "reuse": "fresh"}]
    for perturb in perturbs:
        kind = perturbation(perturb)
        pools = (pool_sizes if full or kind.scaled else sorted({small, large}) if kind.gaussian
                 else [large])
        out.append({"perturb": perturb, "generator": "hw", "reuse": "fresh"})
        out += [{"perturb": perturb, "generator": "hw", "reuse": "pool", "pool_size": n}
                for n in pools]
        if full or kind.scaled or kind.gaussian:
            out.append({"perturb": perturb, "generator": "hw", "reuse": "array",
                        "array_size": array_size})
    return out


def label(row: dict) -> str:
    extra = {"pool": f" N={row.get('pool_size')}", "array": f" n={row.get('array_size')}"}
    return f"{row['perturb']} / {row['generator']} / {row['reuse']}{extra.get(row['reuse'], '')}"


def train_one(cfg: TrainConfig) -> dict:
    """Train one configuration: the study's record of it (config, accuracy, loss, time)."""
    import warnings

    from ref_model.trainer import run

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # N < d is studied on purpose
        res = run(cfg)
    return {"config": cfg.to_dict(), "test_accuracy": res.test_accuracy,
            "final_loss": res.final_loss, "seconds": res.seconds}


def run_key(config: dict) -> str:
    """The key that finds a configuration's run among earlier results: the configuration
    with today's defaults for keys an older record lacks (its `dataset` was digits)."""
    return json.dumps(TrainConfig.from_dict(config).to_dict(), sort_keys=True)


def _previous(out_dir: str) -> dict[str, dict]:
    """Results of an earlier study in out_dir, by configuration."""
    path = os.path.join(out_dir, "study.json")
    if not os.path.exists(path):
        return {}
    with open(path) as fh:
        return {run_key(r["config"]): r for r in json.load(fh)["results"]}


def run_study(steps: int, seeds: list[int], pool_sizes: list[int], array_size: int,
              out_dir: str, jobs: int, command: str, full: bool = False,
              reuse: bool = True, backend=None) -> list[dict]:
    """Train what out_dir/study.json lacks (on `backend`: regress/local_backend.py's
    process pool of `jobs` by default, or Dask), write the table."""
    base = replace(TrainConfig(), steps=steps, eval_points=1)
    d = dimension(base.layers)
    table = rows([n for n in pool_sizes if d % n], array_size, full)
    cfgs = [replace(base, arith=a, seed=s, **row)
            for row in table for a in ("float", "fixed") for s in seeds]
    known = _previous(out_dir) if reuse else {}
    todo = [c for c in cfgs if run_key(c.to_dict()) not in known]
    print(f"study: {len(cfgs)} runs, {len(cfgs) - len(todo)} reused from {out_dir}/study.json")
    pool = backend or LocalPool(jobs)
    fresh = {run_key(r["config"]): r for r in pool.map(train_one, todo)}
    results = [known.get(run_key(c.to_dict())) or fresh[run_key(c.to_dict())] for c in cfgs]
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "study.json"), "w") as fh:
        json.dump({"command": command, "d": d, "seeds": seeds, "results": results}, fh, indent=1)
    _write_outputs(table, results, seeds, d, steps, out_dir, command)
    return results


def _stats(results: list[dict], row: dict, arith: str) -> list[float]:
    keep = [r["test_accuracy"] for r in results
            if r["config"]["arith"] == arith
            and all(r["config"][k] == v for k, v in row.items())]
    return keep


def _write_outputs(table, results, seeds, d, steps, out_dir, command) -> None:
    from regress.plots import plot_study

    lines = [f"# Reference-model study: test accuracy on digits (d = {d})", "",
             f"Command: `{command}`", "",
             f"{steps} steps, seeds {','.join(map(str, seeds))}; other settings are the "
             "TrainConfig defaults (docs/ref-model.md). Per cell: mean (per-seed values).", "",
             "| perturbation / generator / reuse | N vs d | float | fixed |",
             "| --- | --- | --- | --- |"]
    series = {"float": [], "fixed": []}
    errors = {"float": [[], []], "fixed": [[], []]}
    for row in table:
        cells = []
        for arith in ("float", "fixed"):
            acc = _stats(results, row, arith)
            m = statistics.fmean(acc)
            series[arith].append(m)
            errors[arith][0].append(m - min(acc))
            errors[arith][1].append(max(acc) - m)
            cells.append(f"{m:.3f} ({', '.join(f'{a:.3f}' for a in acc)})")
        rel = ""
        if row["reuse"] == "pool":
            rel = "N < d" if row["pool_size"] < d else "N >= d"
        lines.append(f"| {label(row)} | {rel} | {cells[0]} | {cells[1]} |")
    lr_acc = [anchor.logistic_regression("digits", s) for s in seeds]
    lines.append(f"| {anchor.NAME} (scikit-learn, first order: the anchor) | | "
                 f"{statistics.fmean(lr_acc):.3f} ({', '.join(f'{a:.3f}' for a in lr_acc)}) | |")
    with open(os.path.join(out_dir, "study.md"), "w") as fh:
        fh.write("\n".join(lines) + "\n")
    plot_study([label(r) for r in table], series, errors,
               f"digits MLP 64-16-10, {steps} steps, seeds {seeds}",
               os.path.join(out_dir, "study.png"))
