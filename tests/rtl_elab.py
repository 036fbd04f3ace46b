"""Elaborate one RTL module with given parameters on each tool and say whether it was accepted.

The parameter checks (docs/architecture.md, "RTL conventions") fire at elaboration on Verilator
(`--lint-only -Wall`) and yosys (`hierarchy -check`), and at time 0 of the run on Icarus 11
(compile, then `vvp` of the module itself: it has no stimulus, so the run ends at time 0).
Each function returns an `Elaboration`: whether the tool accepted the parameters, and the
messages the checks printed (yosys prints its `$error` format string unformatted).
"""

from __future__ import annotations

import functools
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tb import toolchain
from tb.harness import hdl_literal

RTL = Path(__file__).resolve().parent.parent / "rtl"
TOOLS = ("verilator", "icarus", "yosys")
# what each tool prints for a failed parameter check
CHECK_MESSAGE = {
    "verilator": re.compile(r"%(?:Warning|Error)-USERERROR: \S+: (.*)"),
    "icarus": re.compile(r"^FATAL: \S+: (.*)", re.M),
    "yosys": re.compile(r"^\S+: ERROR: (.*)\.$", re.M),
}
NUMBER = re.compile(r"(0x[0-9a-f]+|-?\d+)")
WIDE = re.compile(r"^\s*parameter\s+\[63:0\]\s+(\w+)", re.M)
INSTANCE = re.compile(r"^\s*(pezo_\w+)\s*(?:#|u_\w+\s*\()", re.M)
TIMEOUT_S = 120


@dataclass(frozen=True)
class Elaboration:
    tool: str
    accepted: bool
    messages: tuple[str, ...]   # what the parameter checks printed
    log: str                    # the tool's whole output, for failure messages


@functools.cache
def sources(top: str, rtl: Path = RTL) -> tuple[Path, ...]:
    """rtl/<top>.v and the files of every pezo_* module it instantiates, transitively."""
    order: list[str] = []
    todo = [top]
    while todo:
        module = todo.pop()
        if module in order:
            continue
        order.append(module)
        todo += INSTANCE.findall((rtl / f"{module}.v").read_text())
    return tuple(rtl / f"{module}.v" for module in order)


@functools.cache
def wide_params(top: str, rtl: Path = RTL) -> frozenset[str]:
    """Parameters declared [63:0] in rtl/<top>.v: passed as 64'h literals (tb.harness)."""
    return frozenset(WIDE.findall((rtl / f"{top}.v").read_text()))


def _literals(top: str, params: dict[str, int]) -> dict[str, str]:
    return {name: hdl_literal(value, name in wide_params(top)) for name, value in params.items()}


def _run(command: list[str], cwd: Path) -> tuple[int, str]:
    toolchain.activate()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT_S)
    return proc.returncode, proc.stdout + proc.stderr


def _result(tool: str, status: int, log: str) -> Elaboration:
    messages = tuple(CHECK_MESSAGE[tool].findall(log))
    return Elaboration(tool, status == 0 and not messages, messages, log)


def verilator(top: str, params: dict[str, int], files: tuple[Path, ...], work: Path) -> Elaboration:
    command = ["verilator", "--lint-only", "-Wall", "-Wno-DECLFILENAME", f"-I{RTL}",
               "--top-module", top]
    command += [f"-G{name}={value}" for name, value in _literals(top, params).items()]
    status, log = _run(command + [str(f) for f in files], work)
    return _result("verilator", status, log)


def icarus(top: str, params: dict[str, int], files: tuple[Path, ...], work: Path) -> Elaboration:
    command = ["iverilog", "-g2012", "-I", str(RTL), "-o", "elab.vvp", "-s", top]
    command += [f"-P{top}.{name}={value}" for name, value in _literals(top, params).items()]
    status, log = _run(command + [str(f) for f in files], work)
    if status == 0:
        status, run_log = _run(["vvp", "-n", "elab.vvp"], work)
        log += run_log
    return _result("icarus", status, log)


def yosys(top: str, params: dict[str, int], files: tuple[Path, ...], work: Path) -> Elaboration:
    # yosys reads no minus sign: a negative integer goes as its 32-bit two's complement
    values = {name: value & 0xFFFF_FFFF for name, value in params.items() if value < 0}
    literals = {**_literals(top, params), **{n: f"32'h{v:x}" for n, v in values.items()}}
    sets = " ".join(f"-set {name} {value}" for name, value in literals.items())
    chparam = f"chparam {sets} {top}; " if params else ""
    script = (f"read_verilog -sv -I{RTL} {' '.join(str(f) for f in files)}; {chparam}"
              f"hierarchy -check -top {top}")
    status, log = _run(["yosys", "-p", script], work)
    return _result("yosys", status, log)


RUNNERS = {"verilator": verilator, "icarus": icarus, "yosys": yosys}


def elaborate(tool: str, top: str, params: dict[str, int],
              files: tuple[Path, ...] | None = None) -> Elaboration:
    """Elaborate `top` (default: its files in rtl/) with `params` on `tool`."""
    with tempfile.TemporaryDirectory(prefix=f"elab-{tool}-") as work:
        return RUNNERS[tool](top, params, files or sources(top), Path(work))


def printed(message: str, elaboration: Elaboration) -> bool:
    """Whether a check printed `message`; yosys prints numbers as their `%0d` (or `%0h`)."""
    if elaboration.tool != "yosys":
        return message in elaboration.messages
    parts = NUMBER.split(message)  # text, number, text, number, ..., text
    pattern = "".join(_number_or_format(part) if i % 2 else re.escape(part)
                      for i, part in enumerate(parts))
    return any(re.fullmatch(pattern, text) for text in elaboration.messages)


def _number_or_format(number: str) -> str:
    return f"(?:{number}|0x%0h)" if number.startswith("0x") else f"(?:{re.escape(number)}|%0d)"
