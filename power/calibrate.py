"""`pezo power calibrate`: fit the RTL power proxy of every block variant against gate level.

Per block variant: run its calibration test (power/calibrate_runs.py) on the fit seeds and
the held-out check seeds, fit the proxy on the fit seeds (power/proxy.py), score it on
both, and write power/calibration/<bench>.<variant>.json with the coefficients, the
metrics per seed, the sources' sha256, tool versions, liberty, clock and corner. Then the
cross-design checks (power/calibrate_checks.py: Gaussian/PeZO ratios on every calibration
file in the folder, the generic model and its leave-one-design-out error, generic.json),
a table, and exit status 1 when any acceptance bound fails (the failures are named).
"""

from __future__ import annotations

import datetime
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from power import calibrate_checks as checks
from power import calibrate_runs as runs
from power import proxy
from ref_model.errors import ConfigError
from tb import harness, registry

BENCHES = ("lfsr", "pool", "scale", "array", "gauss")
WINDOW = 1000


def variants(bench: str | None, variant: str | None) -> list[tuple[str, str]]:
    """The (bench, variant) pairs selected by --bench/--variant."""
    if variant and not bench:
        raise ConfigError("--variant needs --bench")
    if bench and bench not in BENCHES:
        raise ConfigError(f"unknown block bench '{bench}'; choose one of {', '.join(BENCHES)}")
    out = [(b, v) for b in ([bench] if bench else BENCHES) for v in registry.BENCHES[b].VARIANTS
           if variant is None or v == variant]
    if not out:
        known = ", ".join(registry.BENCHES[bench].VARIANTS)
        raise ConfigError(f"unknown variant '{variant}' of bench {bench}; known: {known}")
    return out


def seeds(text: str, what: str) -> list[int]:
    try:
        values = [int(s) for s in text.split(",") if s.strip()]
    except ValueError:
        raise ConfigError(f"{what} '{text}': expected seeds like 1,2") from None
    if not values or min(values) < 0:
        raise ConfigError(f"{what} '{text}': give one or more seeds >= 0")
    return values


def run(pairs, fit_seeds, check_seeds, jobs: int, out: Path, command: str,
        gl_sim: str = "icarus") -> int:
    common = sorted(set(fit_seeds) & set(check_seeds))
    if common:
        raise ConfigError(f"fit and check seeds overlap ({', '.join(map(str, common))}): "
                          "held-out seeds must be other seeds")
    samples = _samples(pairs, [*fit_seeds, *check_seeds], jobs, gl_sim)
    out.mkdir(parents=True, exist_ok=True)
    tools = tool_versions()
    for bench, variant in pairs:
        record = calibrate_one(bench, variant, samples, fit_seeds, check_seeds, tools, command)
        record.save(out / f"{bench}.{variant}.json")
    return report(records(out), out)


def recheck(pairs, check_seeds, jobs: int, out: Path, gl_sim: str = "icarus") -> int:
    """Score the calibration files in `out` again on `check_seeds` (no fit, nothing written):
    the check of committed coefficients against fresh gate-level runs."""
    found = {}
    for bench, variant in pairs:
        path = out / f"{bench}.{variant}.json"
        if not path.is_file():
            raise ConfigError(f"no calibration file {path}: run `pezo power calibrate --bench "
                              f"{bench} --variant {variant}` first")
        found[path.stem] = {**proxy.read_file(path).to_dict(), "path": str(path)}
    samples = _samples(pairs, check_seeds, jobs, gl_sim)
    for record in found.values():
        model = proxy.read_file(record["path"])
        check_set = [_pair(samples[(record["test"], s)]) for s in check_seeds]
        record["check"] = _metrics(model, check_set, check_seeds)
    return report(found, None)


def _samples(pairs, all_seeds, jobs: int, gl_sim: str) -> dict:
    if jobs < 1:
        raise ConfigError(f"--jobs must be >= 1, got {jobs}")
    tasks = [(runs.calibration_test(b, v), s) for b, v in pairs for s in all_seeds]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {task: pool.submit(runs.sample, *task, WINDOW, gl_sim) for task in tasks}
        return {task: future.result() for task, future in futures.items()}


def calibrate_one(bench, variant, samples, fit_seeds, check_seeds, tools, command):
    test = runs.calibration_test(bench, variant)
    spec = registry.get(test)
    fit_set = [_pair(samples[(test, s)]) for s in fit_seeds]
    check_set = [_pair(samples[(test, s)]) for s in check_seeds]
    model = proxy.fit(fit_set, spec.bench.toplevel, spec.params, proxy.DEFAULT_CLOCK_S)
    model.rtl_sha256 = proxy.sources_sha256(harness.REPO / s for s in spec.bench.sources)
    gl = samples[(test, fit_seeds[0])].gl
    model.meta = {
        "bench": bench, "variant": variant, "test": test, "window_cycles": WINDOW,
        "clock_period_s": proxy.DEFAULT_CLOCK_S, "rtl_simulator": runs.SIMULATOR,
        "gl_simulator": gl.get("simulator", "icarus"),
        "cells": gl["cells"], "area_um2": gl["area_um2"],
        "liberty": gl["liberty"], "liberty_sha256": gl["liberty_sha256"],
        "fit": _metrics(model, fit_set, fit_seeds), "check": _metrics(model, check_set,
                                                                      check_seeds),
        "generic_rows": [row for a, w in fit_set + check_set
                         for row in checks.generic_rows(a, w)],
        "tools": tools, "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": command}
    return model


def _pair(sample: runs.Sample):
    return sample.activity, sample.gl_window_w


def _metrics(model, sample_set, seed_list) -> dict:
    scored = proxy.score(model, sample_set)
    for seed, entry in zip(seed_list, scored["samples"], strict=True):
        entry["seed"] = seed
    return {"seeds": list(seed_list), "r2": scored["r2"], "samples": scored["samples"]}


def tool_versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    from regress.report import tool_versions as simulators
    out = simulators()
    for package in ("scipy", "pywellen", "liberty-parser"):
        try:
            out[package] = version(package)
        except PackageNotFoundError:
            out[package] = None
    out["yosys"] = _first_line(["yosys", "-V"])
    out["python"] = sys.version.split()[0]
    return out


def _first_line(argv: list[str]) -> str | None:
    try:
        lines = subprocess.run(argv, capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return lines.splitlines()[0] if lines.strip() else None


# ---------------------------------------------------------------------- report


def records(out: Path) -> dict[str, dict]:
    """Every per-design calibration record in `out` (corrupt ones refused by name)."""
    found = {}
    for path in sorted(Path(out).glob("*.json")):
        if path.name == proxy.GENERIC_FILE:
            continue
        model = proxy.read_file(path)
        found[path.stem] = {**model.to_dict(), "path": str(path)}
    return found


def failures_of(name: str, record: dict) -> list[str]:
    check = record["check"]
    out = []
    if check["r2"] < checks.R2_MIN:
        out.append(f"{name}: held-out per-window R^2 {check['r2']:.3f} < {checks.R2_MIN}")
    for s in check["samples"]:
        if abs(s["total_error"]) > checks.TOTAL_ERROR_MAX:
            out.append(f"{name}: seed {s['seed']} total error {100 * s['total_error']:+.2f}% "
                       f"(bound {100 * checks.TOTAL_ERROR_MAX:.0f}%)")
    return out


def report(found: dict[str, dict], generic_out: Path | None) -> int:
    """Print the tables; 1 (naming them) if any bound fails. generic_out: where generic.json
    goes (None: no generic fit)."""
    failures = [f for name, r in found.items() for f in failures_of(name, r)]
    print(design_table(found))
    ratios = checks.ratio_checks(found)
    if ratios:
        print(ratio_table(ratios))
    failures += [f"ratio {r['gaussian']}/{r['pezo']} seed {r['seed']}: proxy {r['proxy_ratio']:.3f}"
                 f" vs gate level {r['gl_ratio']:.3f} ({100 * r['error']:+.2f}%)"
                 for r in ratios if not r["ok"]]
    if generic_out is not None:
        _generic(found, generic_out)
    if failures:
        print(f"FAILED {len(failures)} acceptance bound(s):\n  " + "\n  ".join(failures))
        return 1
    print(f"all {len(found)} configuration(s) within the bounds (R^2 >= {checks.R2_MIN}, "
          f"total error <= {100 * checks.TOTAL_ERROR_MAX:.0f}%, ratios within "
          f"{100 * checks.RATIO_TOLERANCE:.0f}%)")
    return 0


def design_table(found: dict[str, dict]) -> str:
    rows = ["| design | test | cells | features | fit R^2 | held-out R^2 | held-out total error "
            "per seed | gate-level uW | ok |", "| --- | --- | --- | --- | --- | --- | --- | --- "
            "| --- |"]
    for name, r in found.items():
        errors = ", ".join(f"s{s['seed']} {100 * s['total_error']:+.2f}%"
                           for s in r["check"]["samples"])
        gl_uw = np.mean([s["gl_w"] for s in r["check"]["samples"]]) * 1e6
        rows.append(f"| {name} | {r['test']} | {r['cells']} | {len(r['features'])} | "
                    f"{r['fit']['r2']:.4f} | {r['check']['r2']:.4f} | {errors} | {gl_uw:.1f} | "
                    f"{'no' if failures_of(name, r) else 'yes'} |")
    return "\n".join(rows)


def ratio_table(ratios: list[dict]) -> str:
    rows = ["| Gaussian / PeZO | seed | gate level | proxy | error | ok |",
            "| --- | --- | --- | --- | --- | --- |"]
    rows += [f"| {r['gaussian']} / {r['pezo']} | {r['seed']} | {r['gl_ratio']:.3f} | "
             f"{r['proxy_ratio']:.3f} | {100 * r['error']:+.2f}% | {'yes' if r['ok'] else 'no'} |"
             for r in ratios]
    return "\n".join(rows)


def _generic(found: dict[str, dict], out: Path) -> None:
    rows = {name: np.array(r["generic_rows"], dtype=float) for name, r in found.items()}
    if len(rows) < 2:
        return
    energies = checks.fit_generic(rows)
    lodo = checks.leave_one_out(rows)
    meta = {"designs": sorted(rows), "leave_one_design_out_error": lodo,
            "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")}
    proxy.generic_model(energies, meta=meta).save(out / proxy.GENERIC_FILE)
    worst = max(lodo.items(), key=lambda kv: abs(kv[1]))
    print(f"generic model over {len(rows)} designs: leave-one-design-out total error median "
          f"{100 * float(np.median(np.abs(list(lodo.values())))):.1f}%, worst {worst[0]} "
          f"{100 * worst[1]:+.1f}% (written to {out / proxy.GENERIC_FILE})")


def command_line(args) -> str:
    """The command that reproduces this calibration (recorded in every file)."""
    words = ["pezo", "power", "calibrate"]
    for option in ("bench", "variant", "seeds_fit", "seeds_check", "jobs", "gl_sim", "out"):
        value = getattr(args, option)
        if value is not None:
            words += [f"--{option.replace('_', '-')}", str(value)]
    return shlex.join(words)


def main_args(args) -> int:
    pairs = variants(args.bench, args.variant)
    out = Path(args.out) if args.out else proxy.CALIBRATION_DIR
    check_seeds = seeds(args.seeds_check, "--seeds-check")
    if args.check_only:
        return recheck(pairs, check_seeds, args.jobs, out, args.gl_sim)
    return run(pairs, seeds(args.seeds_fit, "--seeds-fit"), check_seeds, args.jobs, out,
               command_line(args), args.gl_sim)
