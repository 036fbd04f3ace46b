"""`make bench`: simulation speed of the testbenches, and the reference model's.

Simulated cycles per second = clock cycles the test ran / cocotb's wall time for
the test body (build and process start-up excluded; they are reported apart).
Results go to stdout and build/bench/bench.json; docs/perf.md quotes them.
"""

from __future__ import annotations

import json
import platform
import time

from regress import dask_bench, ref_bench
from tb import harness, registry
from tb.toolchain import SIMULATORS

SIM_BENCHES = ["lfsr.LfsrStatsTest.s32w16"]
OUT = harness.REPO / "build" / "bench" / "bench.json"


def sim_speed(name: str, simulator: str, seed: int = 1) -> dict:
    spec = registry.get(name)
    start = time.monotonic()
    harness.build(spec, simulator)
    build_s = time.monotonic() - start
    result = harness.run(spec, seed, simulator, out_dir=OUT.parent / simulator / name)
    if result.status != "pass":
        raise SystemExit(f"bench: {name} failed on {simulator}: {result.message} ({result.log})")
    cycles = result.metrics["cycles"]
    return {"test": name, "simulator": simulator, "cycles": cycles,
            "test_time_s": result.test_time_s, "process_wall_s": result.duration_s,
            "build_s_if_cached": round(build_s, 2),
            "cycles_per_s": round(cycles / result.test_time_s)}


def main() -> int:
    rows = [sim_speed(name, sim) for name in SIM_BENCHES for sim in SIMULATORS]
    print(f"machine: {platform.node()} {platform.machine()}, {platform.python_version()}")
    print("| test | simulator | cycles | test time s | cycles/s | process wall s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['test']} | {r['simulator']} | {r['cycles']} | {r['test_time_s']:.2f} | "
              f"{r['cycles_per_s']} | {r['process_wall_s']:.2f} |")
    report = {"simulation": rows}
    print()
    ref_bench.main([])  # prints its own table (fixed- and float-point steps per second)
    print()
    report["dask"] = dask_bench.main()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=1, default=str))
    print(f"written {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
