"""Gate-level power of every block variant: `python -m power.blocks [--sim icarus] [--seed 1]`.

Runs `pezo power <bench>.<smoke test>.<variant>` (sky130 netlist, the pyuvm smoke test
on gates, activity from its FST, 100 MHz, tt corner) for every variant of the block
benches and prints one Markdown table (docs/power.md holds its output).
"""

from __future__ import annotations

import argparse
import json
import time

from power import gl_run
from regress.suites import GATE_LEVEL_BENCHES
from tb import registry


def smoke_tests() -> list[str]:
    out = []
    for bench in GATE_LEVEL_BENCHES:
        module = registry.BENCHES[bench]
        smoke_class = module.SMOKE.split(".")[1]
        out += [f"{bench}.{smoke_class}.{variant}" for variant in module.VARIANTS]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sim", default="icarus")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    rows = ["| test (gate level) | cells | area um^2 | cycles | internal uW | switching uW | "
            "leakage nW | total uW | energy pJ/cycle | s |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    records = []
    for test in smoke_tests():
        start = time.monotonic()
        result, out = gl_run.run(test, args.seed, args.sim, None)
        total, setup = result.total(), result.setup
        seconds = float(result.window_start[-1] - result.window_start[0])
        cycles = round(seconds / setup["clock_period_s"])
        records.append({"test": test, "total": total, "setup": setup, "cycles": cycles})
        rows.append(f"| {test} | {setup['cells']} | {setup['area_um2']:.0f} | {cycles} | "
                    f"{total['internal'] * 1e6:.1f} | {total['switching'] * 1e6:.1f} | "
                    f"{total['leakage'] * 1e9:.2f} | {total['total'] * 1e6:.1f} | "
                    f"{total['total'] * setup['clock_period_s'] * 1e12:.2f} | "
                    f"{time.monotonic() - start:.0f} |")
        print(rows[-1], flush=True)
    print("\n".join(rows))
    (gl_run.POWER_ROOT / "blocks.json").write_text(json.dumps(records, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
