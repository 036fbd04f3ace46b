"""Helpers the simulation tests share: a pass assertion that says how to rerun,
and mutants (a copy of one RTL file, or of a gate-level netlist, with one edit) run
through the harness."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from tb import harness


def assert_pass(result: harness.Result) -> None:
    assert result.status == "pass", (
        f"{result.name} seed {result.seed} on {result.simulator}: {result.status}: "
        f"{result.message} (log {result.log}; rerun: pezo sim {result.name} "
        f"--seed {result.seed} --sim {result.simulator})")


def mutant_spec(base: harness.TestSpec, rtl_file: str, original: str, mutated: str,
                tmp_dir: Path, tag: str) -> harness.TestSpec:
    """`base` with rtl/<rtl_file> replaced by a copy where `original` became `mutated`."""
    text = (harness.REPO / "rtl" / rtl_file).read_text()
    assert text.count(original) == 1, f"mutation site for '{tag}' not found exactly once"
    path = Path(tmp_dir) / f"{Path(rtl_file).stem}_{tag}.v"
    path.write_text(text.replace(original, mutated))
    sources = tuple(str(path) if Path(s).name == rtl_file else s for s in base.bench.sources)
    assert str(path) in sources, f"{rtl_file} is not a source of {base.bench.name}"
    bench = harness.Bench(f"{base.bench.name}_mutant_{tag}", base.bench.toplevel, sources,
                          base.bench.module, base.bench.wide_params)
    return harness.TestSpec(bench, base.testcase, base.variant, base.parameters)


def netlist_mutant_spec(base: harness.TestSpec, original: str, mutated: str,
                        tmp_dir: Path, tag: str) -> harness.TestSpec:
    """The gate-level twin of `base` on a copy of its sky130 netlist in which the first
    `original` became `mutated` (e.g. one cell type swapped for another)."""
    from power import gate_synth
    text = Path(gate_synth.for_spec(base).verilog).read_text()
    assert original in text, f"mutation site for '{tag}' not in the netlist"
    path = Path(tmp_dir) / f"netlist_{tag}.v"
    path.write_text(text.replace(original, mutated, 1))
    bench = dataclasses.replace(base.bench, name=f"{base.bench.name}_mutant_{tag}")
    return dataclasses.replace(base, bench=bench, gate_level=True, netlist=str(path))
