"""Test accuracy for `pezo claims`: the reference study's runs, and the missing cells run alike.

A cell is one perturbation (TrainConfig.perturb, reuse, pool or array size) on the digits
MLP in float, trained exactly as `pezo ref study` trains it (TrainConfig defaults,
eval_points 1), so a cell the committed study (docs/study/study.json) already holds is read
from it, and any other cell (a pool size or array size the study did not run) is trained
here with the same settings and seeds and kept in <out>/claims/accuracy.json (committed
with docs/claims.md, as the study's runs are: a later `pezo claims` reads them back
instead of training for minutes again; delete the file to train them afresh).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from ref_model.config import TrainConfig
from ref_model.errors import ConfigError
from regress import study
from regress.local_backend import LocalPool
from tb.harness import REPO

STUDY = REPO / "docs" / "study" / "study.json"
RUNS_FILE = "accuracy.json"


@dataclass(frozen=True)
class Cell:
    """One row of the study: perturbation, reuse ("fresh", "pool", "array") and its size."""

    perturb: str
    reuse: str
    size: int | None = None
    generator: str = "hw"

    def label(self) -> str:
        size = {"pool": f" N={self.size}", "array": f" n={self.size}"}.get(self.reuse, "")
        return f"{self.perturb} / {self.reuse}{size}"

    def config(self, steps: int, seed: int) -> TrainConfig:
        row = {"perturb": self.perturb, "generator": self.generator, "reuse": self.reuse}
        if self.reuse == "pool":
            row["pool_size"] = self.size
        if self.reuse == "array":
            row["array_size"] = self.size
        base = replace(TrainConfig(), steps=steps, eval_points=1)
        return replace(base, arith="float", seed=seed, **row)


@dataclass(frozen=True)
class Plan:
    """How accuracy is measured: training steps and seeds, and where runs are found."""

    steps: int
    seeds: tuple[int, ...]
    cache: Path                 # this run's trained cells (read, then extended)
    study: Path = STUDY


def default_plan(cache: Path, study_path: Path = STUDY) -> Plan:
    """The steps and seeds of the document's kept runs (`cache`, committed with it) when
    there are any, so the document regenerates from them; else the committed study's (so
    its runs are reused)."""
    source = cache if Path(cache).exists() else study_path
    data = _load(source)
    steps = {r["config"]["steps"] for r in data["results"]}
    if len(steps) != 1:
        raise ConfigError(f"study {source} mixes step counts {sorted(steps)}")
    return Plan(steps.pop(), tuple(data["seeds"]), cache, study_path)


def _load(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError) as exc:
        raise ConfigError(f"study {path} cannot be read ({exc})") from None
    if not isinstance(data, dict) or not data.get("results") or not data.get("seeds"):
        raise ConfigError(f"study {path} is not a `pezo ref study` study.json "
                          "(no results or seeds)")
    return data


def _runs(path: Path) -> dict[str, dict]:
    """The runs of a study.json (or of our accuracy.json) by configuration; {} if absent."""
    if not Path(path).exists():
        return {}
    return {study.run_key(r["config"]): r for r in _load(path)["results"]}


@dataclass
class Accuracy:
    """Test accuracy per seed of each cell, and where the runs came from."""

    by_cell: dict[Cell, list[float]]
    origin: dict[str, int]        # runs read from the study, from the cache, trained now


def accuracies(cells: list[Cell], plan: Plan, jobs: int, train: bool = True) -> Accuracy:
    """Test accuracy per seed of every cell; trains (in `jobs` processes) what is missing,
    or with train=False leaves it out (a cell without runs gets [])."""
    from_study, cached = _runs(plan.study), _runs(plan.cache)
    configs = {(c, s): c.config(plan.steps, s) for c in dict.fromkeys(cells) for s in plan.seeds}
    keys = {k: study.run_key(cfg.to_dict()) for k, cfg in configs.items()}
    missing = [configs[k] for k, key in keys.items() if key not in from_study | cached]
    todo = missing if train else []
    if todo:
        print(f"claims: training {len(todo)} accuracy runs ({plan.steps} steps each)")
        Path(plan.cache).parent.mkdir(parents=True, exist_ok=True)
        for result in LocalPool(jobs).map(study.train_one, todo):  # kept as they come
            cached[study.run_key(result["config"])] = result
            Path(plan.cache).write_text(json.dumps(
                {"seeds": list(plan.seeds), "results": list(cached.values())}, indent=1))
    known = from_study | cached
    by_cell: dict[Cell, list[float]] = {cell: [] for cell, _ in keys}
    for (cell, _), key in keys.items():
        if key in known:
            by_cell[cell].append(known[key]["test_accuracy"])
    used = set(keys.values())
    origin = {"study": len(used & from_study.keys()),
              "cache": len(used & known.keys()) - len(used & from_study.keys()) - len(todo),
              "trained": len(todo), "missing": len(missing) - len(todo)}
    return Accuracy(by_cell, origin)
