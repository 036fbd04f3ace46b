"""Illegal HDL parameters through the harness never run a test: Verilator stops the
build with the RTL check's message (docs/architecture.md, RTL conventions: one
wording, '<module>: <NAME>=<value> unsupported, need ...'); Icarus 11, whose checks
fire at time 0 of the run, stops at build or at time 0 naming the parameter (the
testbench's configuration check may name it first)."""

from __future__ import annotations

import re
from pathlib import Path

from tb import harness


def assert_refused(spec: harness.TestSpec, simulator: str, module: str, param: str,
                   value: int, out_dir: Path) -> None:
    named = f"{param}={value}"
    try:
        harness.build(spec, simulator)
    except harness.BuildError as err:
        log = Path(re.search(r"log: (\S+)", str(err)).group(1)).read_text(errors="replace")
        wording = f"{module}: {named} unsupported, need " if simulator == "verilator" else named
        assert wording in log, f"{simulator} stopped, but not with '{wording}':\n{log[-2000:]}"
        return
    assert simulator == "icarus", f"{simulator} built {spec.name} with {named}"
    result = harness.run(spec, 1, simulator, out_dir=out_dir)
    assert result.status != "pass", f"icarus ran {spec.name} with {named}"
    log = Path(result.log).read_text(errors="replace")
    assert named in log, f"icarus refused, but not naming {named}:\n{log[-2000:]}"
