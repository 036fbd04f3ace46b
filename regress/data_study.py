"""`pezo ref datasets`: test accuracy on the other data sets (iris, wine, breast_cancer by
default) over seeds, each method configured only by its options:

  logistic regression   regress/anchor.py: scikit-learn's, the same split and inputs
  float first-order SGD regress/anchor.py: backpropagation on the same MLP, initial
                        weights, batches and steps
  float Gaussian ZO     the MeZO-style baseline: float, ideal Gaussian, fresh every step
  fixed PeZO pool       uniform-scaled pool N=2048 on the LFSR model, fixed point: the
                        configuration the training engine implements (rtl_twin.train_config)
  fixed PeZO array      uniform-scaled RNG array n=16, fixed point
  RTL PeZO pool         the training engine (verilator-sc) on fixed PeZO pool's
                        configuration, checked bit for bit at every step

MLP features-16-classes, MSE, batch 32, eps 2^-6, lr 2^-8, the same steps for every ZO
method. Outputs in OUT_DIR: datasets.md (the table) and datasets.json (every run).
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from dataclasses import replace

from ref_model import data
from ref_model import rtl_twin as T
from ref_model.config import TrainConfig
from regress import anchor
from regress.local_backend import LocalPool

HIDDEN, LANES, POOL_N, ARRAY_N, BATCH = 16, 4, 2048, 16, 32
EPS, LR = 2.0 ** -6, 2.0 ** -8
ZO_METHODS = {
    "float Gaussian ZO": {"arith": "float", "perturb": "gaussian", "generator": "ideal",
                          "reuse": "fresh"},
    "fixed PeZO pool": {},  # the engine's own configuration: config()
    "fixed PeZO array": {"arith": "fixed", "perturb": "uniform-scaled", "generator": "hw",
                         "reuse": "array", "array_size": ARRAY_N},
}
ANCHOR, RTL = anchor.NAME, "RTL PeZO pool"


def config(dataset: str, method: str, steps: int, seed: int) -> TrainConfig:
    if method == "fixed PeZO pool":  # exactly what the engine computes (the RTL row's twin)
        return replace(T.train_config(rtl_params(dataset), seed, steps, BATCH, EPS, LR, dataset),
                       eval_points=1)
    features, classes = data.shape(dataset)
    base = TrainConfig(dataset=dataset, layers=(features, HIDDEN, classes), eps=EPS, lr=LR,
                       batch=BATCH, steps=steps, seed=seed, eval_points=1)
    return replace(base, **ZO_METHODS[method])


def _trained_run(job: tuple[str, str, int, int]) -> dict:
    """A ZO method's run, or first-order SGD on float Gaussian ZO's configuration."""
    from ref_model.trainer import run

    dataset, method, steps, seed = job
    start = time.monotonic()
    if method == anchor.FIRST_ORDER:
        accuracy = anchor.first_order_sgd(config(dataset, "float Gaussian ZO", steps, seed))
    else:
        accuracy = run(config(dataset, method, steps, seed)).test_accuracy
    return {"dataset": dataset, "method": method, "seed": seed, "test_accuracy": accuracy,
            "seconds": round(time.monotonic() - start, 2)}


def _anchor_run(dataset: str, seed: int) -> dict:
    return {"dataset": dataset, "method": ANCHOR, "seed": seed,
            "test_accuracy": anchor.logistic_regression(dataset, seed)}


def rtl_params(dataset: str) -> dict[str, int]:
    from regress import train_rtl

    source = train_rtl.engine_source("uniform-scaled", "pool")
    return T.default_params(source, hidden=HIDDEN, lanes=LANES, pool_n=POOL_N, dataset=dataset)


def rtl_run(dataset: str, steps: int, seed: int, sim: str) -> dict:
    """The engine on fixed PeZO pool's configuration; its read-back weights' accuracy."""
    from regress import train_rtl

    params = rtl_params(dataset)
    run = train_rtl.harness_run(sim, params, seed, steps, BATCH, EPS, LR,
                                dataset=dataset)
    twin = T.Twin(params, seed, steps, batch=BATCH, eps=EPS, lr=LR, dataset=dataset)
    return {"dataset": dataset, "method": RTL, "seed": seed,
            "test_accuracy": twin.readback_accuracy(run["theta"]),
            "bit_exact": run["bit_exact"], "steps_checked": run["steps_checked"],
            "message": run["message"]}


def run_study(datasets: list[str], steps: int, seeds: list[int], jobs: int, out_dir: str,
              rtl_sim: str | None, command: str, backend=None) -> dict:
    start = time.monotonic()
    for dataset in datasets:  # bad input before any work
        config(dataset, "fixed PeZO pool", steps, seeds[0])
        if rtl_sim:
            T.Twin(rtl_params(dataset), seeds[0], 1, batch=BATCH, eps=EPS, lr=LR, dataset=dataset)
    trained = [(ds, m, steps, s) for ds in datasets
               for m in (anchor.FIRST_ORDER, *ZO_METHODS) for s in seeds]
    runs = list((backend or LocalPool(jobs)).map(_trained_run, trained))
    runs += [_anchor_run(ds, s) for ds in datasets for s in seeds]
    if rtl_sim:
        from concurrent.futures import ThreadPoolExecutor

        from regress import train_rtl

        rtl_jobs = [(ds, s) for ds in datasets for s in seeds]
        for ds in datasets:  # each design once, before the seeds race for its build lock
            train_rtl.build(rtl_sim, rtl_params(ds), steps)
        with ThreadPoolExecutor(jobs) as pool:  # each run is its own simulator process
            runs += list(pool.map(lambda j: rtl_run(j[0], steps, j[1], rtl_sim), rtl_jobs))
    doc = {"command": command, "steps": steps, "seeds": seeds, "datasets": datasets,
           "hidden": HIDDEN, "batch": BATCH, "eps": EPS, "lr": LR, "rtl_sim": rtl_sim,
           "machine": f"{platform.machine()}, {os.cpu_count()} cores",
           "wall_s": round(time.monotonic() - start, 1), "runs": runs}
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "datasets.json"), "w") as fh:
        json.dump(doc, fh, indent=1)
    with open(os.path.join(out_dir, "datasets.md"), "w") as fh:
        fh.write(table(doc))
    print(table(doc))
    return doc


def _cell(runs: list[dict]) -> str:
    if not runs:
        return "-"
    acc = [r["test_accuracy"] for r in runs]
    spread = f" ({min(acc):.3f}..{max(acc):.3f})" if len(acc) > 1 else ""
    exact = "" if all(r.get("bit_exact", True) for r in runs) else " NOT BIT-EXACT"
    return f"{statistics.fmean(acc):.3f}{spread}{exact}"


def table(doc: dict) -> str:
    methods = [ANCHOR, anchor.FIRST_ORDER, *ZO_METHODS, *([RTL] if doc["rtl_sim"] else [])]
    shapes = {ds: data.shape(ds) for ds in doc["datasets"]}
    lines = ["# Test accuracy on other data sets", "",
             f"`{doc['command']}`: MLP features-{doc['hidden']}-classes, MSE, batch "
             f"{doc['batch']}, eps 2^-6, lr 2^-8, {doc['steps']:,} steps for every ZO method, "
             f"seeds {doc['seeds']}; mean (min..max) over the seeds. Logistic regression is "
             "scikit-learn's on the same split and inputs, first-order SGD backpropagation "
             "on the same MLP, initial weights, batches and steps (lr 2^-3 on the batch-mean "
             "loss): the conventional anchors. "
             + (f"The RTL row is the training engine on {doc['rtl_sim']}, fixed PeZO pool's "
                "configuration, checked bit for bit at every step. " if doc["rtl_sim"] else "")
             + f"{doc['wall_s'] / 60:.1f} min on {doc['machine']}.",
             "", "| method | " + " | ".join(
                 f"{ds} ({shapes[ds][0]} features, {shapes[ds][1]} classes)"
                 for ds in doc["datasets"]) + " |",
             "| --- |" + " --- |" * len(doc["datasets"])]
    for m in methods:
        cells = [_cell([r for r in doc["runs"] if r["dataset"] == ds and r["method"] == m])
                 for ds in doc["datasets"]]
        lines.append(f"| {m} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
