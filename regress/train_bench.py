"""`make bench`: the training top in four flows, on the same configuration and the same
steps, each run checked bit for bit against the fixed-point reference:

  (a) loop    the plain C++ Verilator loop, no SystemC, no Python (tb/systemc/train_loop.cpp)
  (b) native  the native SystemC harness: clock, register host, DMA, monitor (train_native)
  (c) cocotb + pyuvm on verilator-sc with the SystemC clock, DMA and step tap (TrainCliDmaTest)
  (d) cocotb + pyuvm on verilator, Python feeding every sample (TrainCliTest)

Time is the executable's wall time for (a) and (b) and cocotb's test time for (c) and (d)
(process start and imports excluded; the set-up, the run and the checks included). Builds
come first and are not timed. clocks/s and steps/s, (b), (c) and (d) as ratios to (a). The
target of (c) is at least half of (a). Figures go to build/bench/train_flows.json and
docs/perf.md quotes them with the machine's load.

    python -m regress.train_bench [--steps N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time

from ref_model import rtl_twin as T
from regress import train_native, train_rtl
from tb import harness

OUT = harness.REPO / "build" / "bench" / "train_flows.json"
# the configuration: 64-16-10, batch 32, LANES 4, pool N=2048 uniform-scaled
PERTURB, REUSE, HIDDEN, LANES, POOL_N, BATCH = "uniform-scaled", "pool", 16, 4, 2048, 32
EPS, LR, SEED = 2.0 ** -6, 2.0 ** -9, 0
FLOWS = (("a", "loop", "plain C++ Verilator loop"), ("b", "native", "native SystemC harness"),
         ("c", "verilator-sc", "cocotb + pyuvm, verilator-sc, SystemC DMA"),
         ("d", "verilator", "cocotb + pyuvm, verilator, Python samples"))
TARGET_C = 0.5


def params() -> dict[str, int]:
    source = train_rtl.engine_source(PERTURB, REUSE)
    return T.default_params(source, hidden=HIDDEN, lanes=LANES, pool_n=POOL_N, max_batch=BATCH)


def build_all(p: dict[str, int], steps: int) -> None:
    for flow in ("loop", "native"):
        train_native.executable(p, flow)
    for sim in ("verilator-sc", "verilator"):
        harness.build(train_rtl.cli_spec(sim, p, steps), sim)


def run_flow(flow: str, p: dict[str, int], steps: int) -> dict:
    """One flow's run: its time, clocks and check."""
    if flow in train_native.FLOWS:
        out = harness.REPO / "build" / "bench" / "train" / flow
        out.mkdir(parents=True, exist_ok=True)
        run = train_native.run(p, SEED, steps, BATCH, EPS, LR, out, flow)
        seconds = run["wall_s"]
    else:
        run = train_rtl.harness_run(flow, p, SEED, steps, BATCH, EPS, LR)
        seconds = run["test_s"] or 0.0
    if not run["bit_exact"]:
        raise SystemExit(f"train_bench: flow {flow} is not bit-exact: {run['message']} "
                         f"({run['log']})")
    return {"seconds": round(seconds, 3), "clocks": run["sim_cycles"],
            "steps_checked": run["steps_checked"]}


def measure(steps: int) -> dict:
    p = params()
    build_all(p, steps)
    load_before = os.getloadavg()
    rows = []
    for label, flow, what in FLOWS:
        r = run_flow(flow, p, steps)
        rows.append({"flow": label, "runs": flow, "what": what, **r,
                     "clocks_per_s": round(r["clocks"] / r["seconds"]),
                     "steps_per_s": round(steps / r["seconds"], 2)})
    for r in rows:
        r["steps_ratio_to_a"] = round(r["steps_per_s"] / rows[0]["steps_per_s"], 3)
        r["clocks_ratio_to_a"] = round(r["clocks_per_s"] / rows[0]["clocks_per_s"], 3)
    return {"machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} cores",
            "load_before": [round(v, 2) for v in load_before],
            "load_after": [round(v, 2) for v in os.getloadavg()],
            "config": {"hdl_params": p, "steps": steps, "batch": BATCH, "seed": SEED},
            "flows": rows, "target_c": TARGET_C,
            "c_meets_target": rows[2]["steps_ratio_to_a"] >= TARGET_C}


def print_report(doc: dict) -> None:
    c = doc["config"]
    print(f"training flows: 64-{c['hdl_params']['N_HID']}-10, LANES {c['hdl_params']['LANES']}, "
          f"batch {c['batch']}, {c['steps']} steps; {doc['machine']}, load "
          f"{doc['load_before'][0]} before, {doc['load_after'][0]} after")
    print("| flow | what | s | clocks | clocks/s | steps/s | steps/s vs (a) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in doc["flows"]:
        print(f"| ({r['flow']}) | {r['what']} | {r['seconds']:.2f} | {r['clocks']} | "
              f"{r['clocks_per_s']:,} | {r['steps_per_s']} | {r['steps_ratio_to_a']:.2f} |")
    verdict = "meets" if doc["c_meets_target"] else "misses"
    print(f"(c) {verdict} the target of {doc['target_c']} x (a)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="train_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error(f"--steps must be >= 1, got {args.steps}")
    start = time.monotonic()
    doc = measure(args.steps)
    doc["bench_wall_s"] = round(time.monotonic() - start, 1)
    print_report(doc)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, indent=1))
    print(f"written {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
