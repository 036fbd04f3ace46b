"""What the power record costs a regression: the same runs with and without capture.

    python -m regress.power_cost [--sim verilator,icarus] [--seed 1] TEST ...

Each test runs once without waves and once with the capture a regression now does (waves,
activity reduction, proxy, and at gate level the power engine), one after the other;
builds are made first and not timed. Prints one row per run: seconds without, with, the
ratio, and where the extra time goes (simulation with waves vs reading and power).
"""

from __future__ import annotations

import argparse
import os
import time

from regress import activity, power_record
from tb import harness, registry

WINDOW = activity.DEFAULT_WINDOW


def timed(spec: harness.TestSpec, seed: int, simulator: str, capture: bool) -> dict:
    fmt = activity.wave_format(spec) if capture else False
    start = time.monotonic()
    result = harness.run(spec, seed, simulator, waves=fmt)
    simulated = time.monotonic() - start
    if capture:
        power_record.measure(spec, result, WINDOW)
    return {"status": result.status, "sim_s": simulated, "total_s": time.monotonic() - start,
            "power": result.power}


def measure(name: str, seed: int, simulator: str) -> dict:
    spec = registry.get(name)
    for capture in (False, True):
        harness.build(spec, simulator, activity.wave_format(spec) if capture else False)
    plain, power = timed(spec, seed, simulator, False), timed(spec, seed, simulator, True)
    return {"test": name, "simulator": simulator, "plain_s": plain["total_s"],
            "power_s": power["total_s"], "waves_sim_s": power["sim_s"],
            "cycles": (power["power"] or {}).get("cycles"),
            "status": f"{plain['status']}/{power['status']}"}


def row(m: dict) -> str:
    read = m["power_s"] - m["waves_sim_s"]
    return (f"| {m['simulator']} | {m['test']} | {m['cycles']} | {m['plain_s']:.1f} | "
            f"{m['power_s']:.1f} | {m['power_s'] / m['plain_s']:.2f} | "
            f"{m['waves_sim_s'] - m['plain_s']:+.1f} | {read:.1f} | {m['status']} |")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tests", nargs="+")
    parser.add_argument("--sim", default="verilator,icarus")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} at start")
    print("| simulator | test | cycles | without s | with s | ratio | waves +s | "
          "read+power s | status |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name in args.tests:
        for simulator in args.sim.split(","):
            print(row(measure(name, args.seed, simulator)), flush=True)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
