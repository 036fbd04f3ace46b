"""`pezo mutate`: a mutation campaign on one block bench (mutation coverage).

The sampled mutants (regress/mutate_design.py) are compiled once as one design; the
original (select 0) must pass every test of the campaign first, else the campaign is
refused. Then each mutant runs the tests in order (the bench's smoke test first, as
MCY orders its tests) until one fails: a fail, error or timeout kills it. A mutant no
test kills goes to the equivalence check (regress/mutate_equiv.py). Everything lands
in build/mutate/<bench>/<campaign>/ (campaign.json, report.md, mutants/, runs/) and
build/mutate/<bench>/latest.json; regress/mutate_record.py keeps the committed record.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from ref_model.errors import ConfigError
from regress import mutate_design, mutate_equiv
from tb import harness, registry

MUTATE_ROOT = harness.REPO / "build" / "mutate"
# a mutant's test may run this much longer than the original's before it is a timeout
TIMEOUT_FACTOR = 5.0
MIN_TIMEOUT_S = 60.0


@dataclass(frozen=True)
class Campaign:
    """What to run: validated options of `pezo mutate`."""

    bench: str
    variant: str
    tests: tuple[str, ...]   # test classes, in the order each mutant runs them
    count: int
    seed: int
    simulator: str
    jobs: int
    filters: str = ""  # yosys `mutate` filters on the candidates (tests aim at one net)

    @property
    def name(self) -> str:
        return f"{self.variant}-n{self.count}-s{self.seed}"


def plan(bench: str, count: int, seed: int, variant: str | None, tests: list[str] | None,
         simulator: str, jobs: int) -> Campaign:
    """The campaign the options ask for; ConfigError for a bad one."""
    if bench not in registry.BENCHES:
        raise ConfigError(f"unknown bench '{bench}'; choose one of {', '.join(registry.BENCHES)}")
    module = registry.BENCHES[bench]
    if count < 1:
        raise ConfigError(f"--count must be >= 1, got {count}")
    if seed < 0:
        raise ConfigError(f"--seed must be >= 0, got {seed}")
    if jobs < 1:
        raise ConfigError(f"--jobs must be >= 1, got {jobs}")
    variant = variant or module.SMOKE.split(".")[2]
    if variant not in module.VARIANTS:
        raise ConfigError(f"unknown variant '{variant}' of {bench}; "
                          f"choose one of {', '.join(module.VARIANTS)}")
    smoke = module.SMOKE.split(".")[1]
    tests = tests or [smoke] + [t for t in module.TESTCASES if t != smoke]
    missing = [t for t in tests if f"{bench}.{t}.{variant}" not in registry.RTL_TESTS]
    if missing:
        raise ConfigError(f"unknown test(s) {', '.join(missing)} of {bench}.{variant}; "
                          f"choose from {', '.join(module.TESTCASES)}")
    return Campaign(bench, variant, tuple(dict.fromkeys(tests)), count, seed, simulator, jobs)


def run(campaign: Campaign, progress=print) -> dict:
    """Run the campaign; its summary (also written to campaign.json and latest.json)."""
    start = time.monotonic()
    work = MUTATE_ROOT / campaign.bench / campaign.name
    base = registry.get(f"{campaign.bench}.{campaign.tests[0]}.{campaign.variant}")
    top = base.bench.toplevel
    mutate_design.elaborate(base, work)
    mutations = mutate_design.sample(work, top, campaign.count, campaign.seed,
                                      campaign.filters)
    netlist = mutate_design.write_design(work, top)
    verilog = mutate_design.write_each(work, mutations)
    specs = [_mutant_spec(campaign, test, netlist) for test in campaign.tests]
    specs = _check_original(campaign, specs, work, progress)
    with ThreadPoolExecutor(campaign.jobs) as pool:
        outcomes = list(pool.map(lambda m: _kill(campaign, specs, m, work, progress),
                                 mutations))
    for outcome, mutation in zip(outcomes, mutations, strict=True):
        outcome["verilog"] = os.path.relpath(verilog[mutation.index], harness.REPO)
    # written before the proofs too: an interrupted check loses no simulation (--recheck)
    write(work, _summary(campaign, mutations, outcomes, time.monotonic() - start))
    prove(work, top, outcomes, campaign.jobs)
    summary = _summary(campaign, mutations, outcomes, time.monotonic() - start)
    write(work, summary)
    return summary


def prove(work: Path, top: str, outcomes: list[dict], jobs: int) -> None:
    """The equivalence check of every outcome that survived (in place, `jobs` at a time)."""
    survivors = [o for o in outcomes if o["status"] == "survived"]
    fields = {f.name for f in dataclasses.fields(mutate_design.Mutation)}

    def check(outcome: dict) -> mutate_equiv.Verdict:
        mutation = mutate_design.Mutation(**{k: v for k, v in outcome.items() if k in fields})
        return mutate_equiv.check(work, top, mutation)
    with ThreadPoolExecutor(jobs) as pool:
        verdicts = list(pool.map(check, survivors))
    for outcome, verdict in zip(survivors, verdicts, strict=True):
        outcome["equivalence"] = dataclasses.asdict(verdict)
        if verdict.status == "equivalent":
            outcome["status"] = "equivalent"


def _mutant_spec(campaign: Campaign, test: str, netlist: Path) -> harness.TestSpec:
    spec = registry.get(f"{campaign.bench}.{test}.{campaign.variant}")
    bench = dataclasses.replace(spec.bench, name=f"{spec.bench.name}_mutants")
    return dataclasses.replace(spec, bench=bench, gate_level=True, netlist=str(netlist))


def _check_original(campaign: Campaign, specs, work: Path, progress) -> list:
    """Every test passes on select 0 (the original), or the campaign is refused; the
    specs with a time limit from the original's duration."""
    timed = []
    for spec in specs:
        result = _run(campaign, spec, 0, work)
        if result.status != "pass":
            raise ConfigError(f"the original design fails {spec.testcase} "
                              f"({result.status}: {result.message[:160]}; log {result.log}): "
                              "a campaign needs a passing bench")
        progress(f"original passes {spec.testcase} in {result.duration_s:.1f} s")
        # the test body's own time: the first run's duration includes the build
        limit = max(MIN_TIMEOUT_S, TIMEOUT_FACTOR * (result.test_time_s or result.duration_s))
        timed.append(dataclasses.replace(spec, timeout_s=limit))
    return timed


def _run(campaign: Campaign, spec, index: int, work: Path) -> harness.Result:
    out = work / "runs" / f"mutant_{index:03}" / spec.testcase
    return harness.run(spec, campaign.seed, campaign.simulator, out_dir=out,
                       plusargs=(f"+{mutate_design.PLUSARG}={index}",))


def _kill(campaign: Campaign, specs, mutation, work: Path, progress) -> dict:
    """Run the tests in order until one fails on the mutant."""
    outcome = {**mutation.to_dict(), "status": "survived", "killed_by": None,
               "message": "", "tests_run": []}
    for spec in specs:
        result = _run(campaign, spec, mutation.index, work)
        outcome["tests_run"].append(spec.testcase)
        if result.status != "pass":
            outcome.update(status="killed", killed_by=spec.testcase,
                           message=f"{result.status}: {result.message[:200]}")
            break
    progress(f"mutant {mutation.index:3} {outcome['status']:8} "
             f"{outcome['killed_by'] or ''} {mutation.mode} {', '.join(mutation.src)[:80]}")
    return outcome


def _summary(campaign: Campaign, mutations, outcomes: list[dict], seconds: float) -> dict:
    return {"bench": campaign.bench, "variant": campaign.variant, "campaign": campaign.name,
            "seed": campaign.seed, "requested": campaign.count, "simulator": campaign.simulator,
            "tests": list(campaign.tests), **tally(outcomes),
            "seconds": round(seconds, 1), "date": time.strftime("%Y-%m-%d %H:%M UTC",
                                                                time.gmtime()),
            "machine": {"host": os.uname().nodename, "cpus": os.cpu_count(),
                        "load": list(os.getloadavg())},
            "command": command(campaign), "results": outcomes}


def tally(outcomes: list[dict]) -> dict:
    """Counts of killed, equivalent and surviving mutants, the kill rate and the score."""
    counts = {s: sum(o["status"] == s for o in outcomes)
              for s in ("killed", "equivalent", "survived")}
    total = len(outcomes)
    return {"mutants": total, **counts,
            "kill_rate": round(counts["killed"] / total, 4) if total else 0.0,
            # MCY's score: equivalent mutants cannot be killed, so they leave the denominator
            "score": round(counts["killed"] / (total - counts["equivalent"]), 4)
            if total > counts["equivalent"] else 1.0}


def command(campaign: Campaign) -> str:
    return (f"pezo mutate {campaign.bench} --variant {campaign.variant} --count "
            f"{campaign.count} --seed {campaign.seed} --tests {','.join(campaign.tests)} "
            f"--sim {campaign.simulator} --jobs {campaign.jobs}")


def write(work: Path, summary: dict) -> None:
    from regress import mutate_record
    text = json.dumps(summary, indent=1)
    (work / "campaign.json").write_text(text)
    (work / "report.md").write_text(mutate_record.campaign_markdown(summary))
    (work.parent / "latest.json").write_text(text)
