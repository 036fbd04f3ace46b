"""What `pezo regress` runs and where: the jobs (a built-in suite, a suite file, or the rest
or the failures of an earlier run), the run folder and its metadata, and the execution
backend (the local pool, or Dask with --scheduler / --cluster). Every bad option is one
ConfigError line."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ref_model.errors import ConfigError
from regress import backend_options, report, run_state, runner, suite_file, suites
from regress.suites import Job
from tb import harness


@dataclass
class Plan:
    name: str                       # the suite's name (the run folder's suffix)
    jobs: list[Job]                 # to run now
    meta: dict
    run_dir: Path | None = None     # None: a new folder, made by open() once all is valid
    power_off: str | None = None    # the suite's reason to capture no power by default
    previous: tuple[harness.Result, ...] = field(default_factory=tuple)
    resumed: bool = False           # --resume: power options come from the run itself

    def open(self) -> Path:
        """The run folder (a new one unless resuming), recorded in the metadata."""
        if self.run_dir is None:
            self.run_dir = runner.new_run_dir(self.name)
            self.meta["run"] = self.run_dir.name
        return self.run_dir


def _suite(args) -> suites.Suite:
    if args.suite_file:
        if args.suite != "default":
            raise ConfigError("--suite and --suite-file: give one of them")
        return suite_file.load(Path(args.suite_file))
    return suites.get_suite(args.suite)


def _selection_given(args) -> list[str]:
    return [flag for flag, on in (("--seeds", args.seeds), ("--random-seeds", args.random_seeds),
                                  ("--sim", args.sim), ("--filter", args.filter),
                                  ("--suite-file", args.suite_file),
                                  ("--code-coverage", args.code_coverage),
                                  ("--suite", args.suite != "default")) if on]


def _meta(name: str, jobs: list[Job], master: int | None) -> dict:
    return {"run": None, "suite": name,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": " ".join(["pezo"] + sys.argv[1:]), "master_seed": master,
            "seeds": sorted({j.seed for j in jobs}),
            "simulators": sorted({j.simulator for j in jobs}),
            "tools": report.tool_versions()}


def plan(args) -> Plan:
    if args.resume and args.rerun_failed:
        raise ConfigError("--resume and --rerun-failed: give one of them")
    earlier = args.resume or args.rerun_failed
    if earlier:
        given = _selection_given(args)
        if given:
            raise ConfigError(f"{'--resume' if args.resume else '--rerun-failed'} takes the "
                              f"jobs of run {earlier}; it contradicts {', '.join(given)}")
        return _from_run(args, run_state.run_folder(earlier, runner.REGRESS_ROOT))
    suite = _suite(args)
    drawn_by_file = args.random_seeds is None and suite.master_seed is not None
    master = suite.master_seed if drawn_by_file else args.master_seed
    seeds = (suites.draw_seeds(args.random_seeds, args.master_seed)
             if args.random_seeds is not None else args.seeds)
    jobs = suites.expand(suite, seeds, args.sim, args.filter, args.code_coverage)
    return Plan(suite.name, jobs, _meta(suite.name, jobs, master), power_off=suite.power_off)


def _from_run(args, run_dir: Path) -> Plan:
    meta, jobs, results = run_state.load(run_dir)
    if args.resume:
        todo = run_state.pending(jobs, results)
        print(f"resuming {run_dir.name}: {len(results)} of {len(jobs)} jobs have a result, "
              f"running the other {len(todo)}")
        return Plan(meta["suite"], todo, meta, run_dir, previous=tuple(results), resumed=True)
    todo = run_state.failures(jobs, results)
    if not todo:
        raise ConfigError(f"run {run_dir.name} has no failed test to rerun")
    name = f"rerun-{meta['suite']}"
    print(f"rerunning the {len(todo)} failed job(s) of {run_dir.name} with their seeds")
    return Plan(name, todo, {**_meta(name, todo, meta.get("master_seed")),
                             "rerun_of": run_dir.name})


def backend(args):
    """None (the local pool), or a Dask pool for --scheduler / --cluster."""
    return backend_options.dask(args)
