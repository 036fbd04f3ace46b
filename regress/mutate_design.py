"""Mutants of a block's elaborated logic from yosys's `mutate` pass (the approach of MCY).

The design is elaborated once (`prep -flatten` on the bench variant's parameters:
RTL cells with their `src` locations kept) into original.il. `mutate -list N -seed S`
samples N mutations evenly over the source locations; every mutation is applied to
one design behind a select input (`-ctrl mutsel W k`: mutant k is active when
mutsel == k, 0 is the original), so a simulator compiles all mutants once. That
design is written as `<top>_mutants` under a wrapper with the block's own name and
ports, which takes the select from the plusarg `+pezo_mutant=N`; each mutant is also
written alone as Verilog (mutants/mutant_NNN.v) for the record and the equivalence check.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import asdict, dataclass
from pathlib import Path

from ref_model.errors import ConfigError
from regress import synth as xsynth
from tb.harness import REPO, TestSpec

SELECT = "mutsel"    # the select input `mutate -ctrl` adds
PLUSARG = "pezo_mutant"
ORIGINAL = "original.il"
DESIGN = "mutants.v"  # the wrapper and the design with every mutant behind the select


@dataclass(frozen=True)
class Mutation:
    """One sampled mutation: its select value, the `mutate` arguments, where it is."""

    index: int        # 1..N: the select value that activates it
    args: str         # `mutate` arguments without -ctrl: applies this mutation alone
    mode: str         # inv, const0, const1, cnot0, cnot1
    cell: str
    port: str
    portbit: int
    wire: str         # the net it touches, when yosys names one
    src: tuple[str, ...]  # file:line locations from the cell's src attribute

    def to_dict(self) -> dict:
        return asdict(self)


def select_width(count: int) -> int:
    """Bits of the select: values 0 (original) .. count."""
    return max(1, count.bit_length())


def elaborate(spec: TestSpec, work: Path) -> Path:
    """The bench variant's design elaborated and flattened, with src locations: original.il."""
    xsynth.require_yosys()
    work.mkdir(parents=True, exist_ok=True)
    top = spec.bench.toplevel
    script = (f"{xsynth.read_design(top, spec.bench.sources, spec.params)} "
              f"prep -flatten -top {top}; write_rtlil {ORIGINAL}")
    _yosys(script, work, "elaborate")
    return work / ORIGINAL


def sample(work: Path, top: str, count: int, seed: int, filters: str = "") -> list[Mutation]:
    """`mutate -list`: `count` mutations sampled evenly over the design (mutations.ys);
    `filters`: yosys's own (`-wire rnd_o`, `-mode inv`) narrow the candidates."""
    script = (f"read_rtlil {ORIGINAL}; mutate -list {count} -seed {seed} {filters} "
              f"-ctrl {SELECT} {select_width(count)} 1 -o mutations.ys")
    _yosys(script, work, "sample")
    lines = [line for line in (work / "mutations.ys").read_text().splitlines() if line.strip()]
    return [parse(line) for line in lines]


def parse(line: str) -> Mutation:
    """A `mutate -ctrl NAME W K -mode ...` line of the list as a Mutation."""
    words = shlex.split(line, posix=False)
    if words[:2] != ["mutate", "-ctrl"]:
        raise ValueError(f"not a mutate -ctrl line: {line}")
    index = int(words[4])
    rest = words[5:]
    options: dict[str, list[str]] = {}
    for key, value in zip(rest[::2], rest[1::2], strict=True):
        options.setdefault(key.lstrip("-"), []).append(value)
    return Mutation(index, " ".join(rest), options["mode"][0], options.get("cell", [""])[0],
                    options.get("port", [""])[0], int(options.get("portbit", ["0"])[0]),
                    options.get("wire", [""])[0],
                    tuple(dict.fromkeys(location(s) for s in options.get("src", []))))


def location(src: str) -> str:
    """`/repo/rtl/x.v:74.17-74.35` as `rtl/x.v:74`."""
    path, _, span = src.rpartition(":")
    path = path.removeprefix(str(REPO) + "/")
    return f"{path}:{span.split('.')[0]}"


def write_design(work: Path, top: str) -> Path:
    """mutants.v: every mutation of mutations.ys behind the select, under a wrapper named `top`."""
    script = (f"read_rtlil {ORIGINAL}; script mutations.ys; opt_clean; "
              f"rename {top} {top}_mutants; write_json mutants.json; "
              f"write_verilog -noattr mutants_core.v")
    _yosys(script, work, "apply")
    ports = json.loads((work / "mutants.json").read_text())["modules"][f"{top}_mutants"]["ports"]
    width = len(ports[SELECT]["bits"])  # as sampled: from the count asked for
    core = (work / "mutants_core.v").read_text()
    (work / DESIGN).write_text(wrapper(top, ports, width) + core)
    return work / DESIGN


def wrapper(top: str, ports: dict, width: int) -> str:
    """The block's ports around `<top>_mutants`; the select comes from +pezo_mutant=N."""
    outer = {name: port for name, port in ports.items() if name != SELECT}
    declarations = "".join(f"  {port['direction']} wire {_range(port)}{name};\n"
                           for name, port in outer.items())
    connections = ", ".join(f".{name}({name})" for name in outer)
    return (f"module {top} ({', '.join(outer)});\n{declarations}"
            f"  reg [{width - 1}:0] {SELECT};\n"
            f"  initial if (!$value$plusargs(\"{PLUSARG}=%d\", {SELECT})) {SELECT} = 0;\n"
            f"  {top}_mutants mutants ({connections}, .{SELECT}({SELECT}));\n"
            f"endmodule\n\n")


def _range(port: dict) -> str:
    width = len(port["bits"])
    return f"[{width - 1}:0] " if width > 1 else ""


def write_each(work: Path, mutations: list[Mutation]) -> dict[int, Path]:
    """Every mutant alone as Verilog, mutants/mutant_NNN.v (one yosys run)."""
    folder = work / "mutants"
    folder.mkdir(exist_ok=True)
    paths = {m.index: folder / f"mutant_{m.index:03}.v" for m in mutations}
    steps = "".join(f"design -load original; mutate {m.args}; "
                    f"write_verilog -noattr {paths[m.index]}; " for m in mutations)
    _yosys(f"read_rtlil {ORIGINAL}; design -save original; {steps}", work, "write")
    return paths


def _yosys(script: str, work: Path, step: str) -> None:
    status, log = xsynth.run_yosys(script, work)
    if status != 0:
        errors = [line.strip() for line in log.read_text(errors="replace").splitlines()
                  if "ERROR" in line]
        raise ConfigError(f"yosys failed to {step} the design "
                          f"({errors[0] if errors else f'exit {status}'}; log {log})")
    log.rename(work / f"yosys-{step}.log")

