"""Simulation harness over cocotb_tools.runner: cached builds, one test per process.

build() compiles a (toplevel, parameters, simulator, waves) combination once into
build/sim/ and reuses it for every test and seed; run() executes one cocotb test
in a child process with a wall-clock limit, so a crashed or hung simulation
becomes a failed result with its log instead of a lost regression.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tb import code_coverage as tb_code_coverage
from tb import rtl_includes, toolchain
from tb.common.metrics import METRICS_FILE
from tb.sims import build_args, check_attachment, make_runner, runner_sources

REPO = Path(__file__).resolve().parent.parent
BUILD_ROOT = REPO / "build" / "sim"
HARNESS_VERSION = "1"  # bump to invalidate every cached build


@dataclass(frozen=True)
class Bench:
    """One DUT and the cocotb module that tests it."""

    name: str
    toplevel: str
    sources: tuple[str, ...]  # paths relative to the repository
    module: str               # cocotb test module, e.g. "tb.lfsr.test_lfsr"
    wide_params: tuple[str, ...] = ()  # declared [63:0] in the RTL: passed as 64'h literals


@dataclass(frozen=True)
class TestSpec:
    """One runnable test: a bench, a pyuvm test class, and HDL parameters."""

    __test__ = False  # not a pytest class

    bench: Bench
    testcase: str
    variant: str
    parameters: tuple[tuple[str, int], ...]
    timeout_s: float = 300.0
    # Gate level: simulate the bench's design synthesized to sky130 cells
    # (power/gate_synth.py) with the same pyuvm test; the netlist has no HDL parameters,
    # the testbench still reads them from PEZO_PARAMS.
    gate_level: bool = False
    netlist: str | None = None  # gate level: this netlist instead of synthesizing (mutants)
    # SystemC models around the design (tb/systemc/attachments.py): verilator-sc only
    attachment: str | None = None
    # settings the test reads from its environment besides PEZO_PARAMS (e.g. PEZO_TRAIN's
    # data set); not part of the build
    env: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        prefix = "gl." if self.gate_level else ""
        return f"{prefix}{self.bench.name}.{self.testcase}.{self.variant}"

    @property
    def params(self) -> dict[str, int]:
        return dict(self.parameters)


@dataclass
class Result:
    """What one test run produced; regress reports are lists of these."""

    name: str
    seed: int
    simulator: str
    status: str  # pass | fail | error | timeout
    duration_s: float
    sim_time_ns: float | None
    log: str
    message: str = ""
    metrics: dict = field(default_factory=dict)
    test_time_s: float | None = None  # cocotb's own wall time for the test body
    waves: str | None = None  # waves file (FST, or VCD when asked), when recorded
    activity: dict | None = None  # regress/activity.py summary and files, when captured
    power: dict | None = None  # regress/power_record.py record, when activity was captured
    execution: dict | None = None  # regress backend: where it ran, its attempts (Dask)
    code_coverage: str | None = None  # Verilator's coverage.dat (tb/code_coverage.py), if asked

    def to_dict(self) -> dict:
        return asdict(self)


def hdl_literal(value: int, wide: bool) -> str:
    """A literal both Verilator (-G) and Icarus (-P) parse without width warnings."""
    if wide:
        return f"64'h{value:x}"
    if not -2**31 <= value < 2**31:
        raise ValueError(f"integer parameter value {value} does not fit 32 bits")
    return str(value)


def build_key(spec: TestSpec, simulator: str, waves: bool | str,
              code_coverage: bool = False) -> str:
    digest = hashlib.sha256()
    digest.update(json.dumps([HARNESS_VERSION, simulator, wave_format(waves),
                              spec.bench.toplevel, sorted(spec.parameters),
                              _build_args(spec, simulator, code_coverage),
                              spec.attachment]).encode())
    for source in spec.bench.sources:
        digest.update((REPO / source).read_bytes())
    for source in runner_sources(simulator, spec.attachment):
        digest.update(source.read_bytes())
    digest.update(rtl_includes.headers_digest())
    if spec.gate_level:
        from power import gate_synth, pdk
        digest.update(json.dumps(["gate-level", pdk.liberty_hash(),
                                  gate_synth.FLOW_VERSION]).encode())
        if spec.netlist:
            digest.update(Path(spec.netlist).read_bytes())
    return digest.hexdigest()[:12]


def design_sources(spec: TestSpec) -> tuple[list[Path], dict[str, str]]:
    """What the simulator compiles: the RTL with its parameters, or at gate level the
    sky130 netlist and the cell models, without parameters (synthesized on first use)."""
    if not spec.gate_level:
        return ([REPO / s for s in spec.bench.sources],
                {k: hdl_literal(v, k in spec.bench.wide_params) for k, v in spec.parameters})
    from power import gate_synth, pdk
    try:
        netlist = Path(spec.netlist or gate_synth.for_spec(spec).verilog)
    except gate_synth.GateSynthError as exc:
        raise BuildError(str(exc)) from None
    return [netlist, pdk.prepare().cells_v], {}


@contextmanager
def locked(path: Path):
    """Hold an exclusive lock on the file `path` for the with-block: one process at a time
    builds or measures what it guards (other processes wait)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class BuildError(RuntimeError):
    """The simulator could not compile the design; the message names the log."""


# Builds that failed in this process: the other tests of the same design fail fast
# instead of recompiling. Kept in memory only, so a fixed environment is retried.
_FAILED_BUILDS: dict[str, str] = {}


def wave_format(waves: bool | str) -> str | None:
    """None (no waves), "fst" (waves=True, the default format) or "vcd"."""
    if waves in (False, None):
        return None
    if waves is True or waves == "fst":
        return "fst"
    if waves == "vcd":
        return "vcd"
    raise ValueError(f"waves must be a bool, 'fst' or 'vcd', got {waves!r}")


def _build_args(spec: TestSpec, simulator: str, code_coverage: bool) -> list[str]:
    return build_args(simulator, spec.gate_level) + tb_code_coverage.build_args(code_coverage)


def build(spec: TestSpec, simulator: str = "verilator", waves: bool | str = False,
          code_coverage: bool = False) -> Path:
    """Compile once per (toplevel, parameters, simulator, waves, code coverage); return the
    build dir. `waves`: False, True (FST) or "vcd" (VCD loads much faster for netlist-sized
    dumps). `code_coverage`: Verilator's coverage points (tb/code_coverage.py)."""
    toolchain.require(simulator)
    check_attachment(simulator, spec.attachment)
    if code_coverage:
        tb_code_coverage.require(spec, simulator)
    key = build_key(spec, simulator, waves, code_coverage)
    prefix = ("gl-" if spec.gate_level else "") + ("cov-" if code_coverage else "")
    build_dir = BUILD_ROOT / simulator / f"{prefix}{spec.bench.toplevel}-{key}"
    stamp = build_dir / "built.ok"
    with locked(BUILD_ROOT / simulator / f".{key}.lock"):
        if stamp.exists():
            return build_dir
        if build_dir.name in _FAILED_BUILDS:
            raise BuildError(_FAILED_BUILDS[build_dir.name])
        build_dir.mkdir(parents=True, exist_ok=True)
        log = build_dir / "build.log"
        runner = make_runner(simulator, wave_format(waves), spec.attachment)
        try:
            sources, params = design_sources(spec)
        except BuildError as exc:
            log.write_text(str(exc))
            _FAILED_BUILDS[build_dir.name] = str(exc)
            raise
        try:
            runner.build(sources=sources, includes=rtl_includes.include_dirs(),
                         hdl_toplevel=spec.bench.toplevel, parameters=params,
                         build_args=_build_args(spec, simulator, code_coverage),
                         build_dir=build_dir, waves=bool(wave_format(waves)),
                         timescale=("1ns", "1ps"),
                         log_file=log, always=True)
        except (RuntimeError, SystemExit) as exc:
            message = (f"{simulator} build of {spec.name} failed ({exc}); "
                       f"log: {log}\n{_tail(log)}")
            _FAILED_BUILDS[build_dir.name] = message
            raise BuildError(message) from None
        stamp.write_text(key)
    return build_dir


def run(spec: TestSpec, seed: int, simulator: str = "verilator", waves: bool | str = False,
        out_dir: Path | None = None, extra_env: dict[str, str] | None = None,
        code_coverage: bool = False, plusargs: tuple[str, ...] = ()) -> Result:
    """Run one test in a child process; never raises for a failing simulation.
    `code_coverage`: a coverage build, its points written to coverage.dat in out_dir;
    `plusargs` reach the simulator (a mutant campaign's `+pezo_mutant=N`)."""
    out_dir = Path(out_dir or REPO / "build" / "runs" / simulator / f"{spec.name}-s{seed}")
    out_dir.mkdir(parents=True, exist_ok=True)
    log = out_dir / "sim.log"
    start = time.monotonic()
    try:
        build_dir = build(spec, simulator, waves, code_coverage)
    except BuildError as exc:
        log.write_text(str(exc))
        return Result(spec.name, seed, simulator, "error", time.monotonic() - start,
                      None, str(log), str(exc).splitlines()[0])
    results_xml = out_dir / "results.xml"
    for stale in (results_xml, out_dir / METRICS_FILE, out_dir / tb_code_coverage.FILE,
                  out_dir / tb_code_coverage.KEPT):  # a rerun reports only its own
        stale.unlink(missing_ok=True)
    fmt = wave_format(waves)
    wave_file = out_dir / f"waves.{fmt or 'fst'}"
    wave_file.unlink(missing_ok=True)
    request = {"simulator": simulator, "module": spec.bench.module,
               "toplevel": spec.bench.toplevel, "testcase": spec.testcase, "seed": seed,
               "build_dir": str(build_dir), "test_dir": str(out_dir),
               "results_xml": str(results_xml), "waves": bool(fmt), "wave_format": fmt,
               # Icarus dumps beside its build unless told: one file per run instead
               "plusargs": [*plusargs, *([f"+dumpfile_path={wave_file}"]
                                          if fmt and simulator == "icarus" else []),
                            *tb_code_coverage.plusargs(code_coverage, out_dir)],
               "env": {"PEZO_PARAMS": json.dumps(spec.params),
                       "COCOTB_REWRITE_ASSERTION_FILES": REWRITE_ASSERTIONS,
                       **dict(spec.env), **(extra_env or {})}}
    status, message = _run_child(request, log, spec.timeout_s)
    duration = time.monotonic() - start
    metrics = _read_metrics(out_dir)
    sim_ns = test_s = None
    if status == "done":
        status, message, sim_ns, test_s = _parse_results(results_xml, spec.testcase)
        message = message if results_xml.exists() else _stop_reason(log, message)
    waves_file = _waves_path(simulator, out_dir, fmt) if fmt else None
    return Result(spec.name, seed, simulator, status, round(duration, 3), sim_ns,
                  str(log), message, metrics, test_s, waves_file,
                  code_coverage=tb_code_coverage.keep(out_dir))


# The files whose asserts cocotb rewrites (pytest's messages): ours. cocotb's default, every
# module imported after the hook, recompiled all of scikit-learn and SciPy in each training
# test (8 s of a 14 s run).
REWRITE_ASSERTIONS = "*/tb/*.py"


def _waves_path(simulator: str, out_dir: Path, fmt: str = "fst") -> str | None:
    """The run's waves, named waves.fst (or .vcd) beside its log on both simulators."""
    target = out_dir / f"waves.{fmt}"
    if simulator.startswith("verilator") and (out_dir / f"dump.{fmt}").exists():
        (out_dir / f"dump.{fmt}").replace(target)
    return str(target) if target.exists() else None


def _run_child(request: dict, log: Path, timeout_s: float) -> tuple[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_CURRENT_TEST"}
    with open(log, "w") as handle:
        child = subprocess.Popen([sys.executable, "-m", "tb.run_one", json.dumps(request)],
                                 stdout=handle, stderr=subprocess.STDOUT, cwd=REPO,
                                 env=env, start_new_session=True)
        try:
            child.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
            return "timeout", f"killed after {timeout_s:.0f} s wall-clock (hung simulation?)"
    return "done", ""


def _parse_results(results_xml: Path, testcase: str):
    """(status, first failure message, simulated ns, test seconds) from cocotb's xUnit file."""
    if not results_xml.exists():
        return "error", "simulator exited without writing results (crash?)", None, None
    try:
        root = ET.parse(results_xml).getroot()
    except ET.ParseError as exc:
        return "error", f"unreadable results file {results_xml}: {exc}", None, None
    cases = [c for c in root.iter("testcase") if c.get("name", "") == testcase]
    if not cases:
        return "error", f"test '{testcase}' did not run (not found in the module?)", None, None
    case = cases[0]
    sim_ns, test_s = _sim_time_ns(case), float(case.get("time", "nan"))
    problem = case.find("failure")
    if problem is None:
        problem = case.find("error")
    if problem is None:
        return "pass", "", sim_ns, test_s
    text = problem.get("message") or (problem.text or "").strip()
    return "fail", text.splitlines()[0][:500] if text else "failed", sim_ns, test_s


# The line a SystemC model prints before it stops the run on a bad input (exit status 2)
SYSTEMC_ERROR = "pezo_sc: error:"


def _stop_reason(log: Path, crash: str) -> str:
    """Why a simulator wrote no results: a SystemC model's one-line error, else `crash`."""
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith(SYSTEMC_ERROR):
            return line
    return crash


def _sim_time_ns(case: ET.Element) -> float | None:
    props = {p.get("name"): p.get("value") for p in case.iter("property")}
    scale = {"fs": 1e-6, "ps": 1e-3, "ns": 1.0, "us": 1e3, "ms": 1e6, "s": 1e9}
    try:
        return float(props["sim_time_duration"]) * scale[props.get("sim_time_unit", "ns")]
    except (KeyError, ValueError):
        return None


def _read_metrics(out_dir: Path) -> dict:
    path = out_dir / METRICS_FILE
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        return {"error": f"unreadable metrics.json: {exc}"}


def _tail(path: Path, lines: int = 15) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
