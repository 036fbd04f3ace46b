"""One gate-level power analysis: netlist + liberty + activity + constraints -> PowerResult.

Shared by `pezo power gate` (any netlist) and `pezo power <test>` (ours). Every input
is checked first, so a bad one costs one clear line, not a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from power import annotate, electrical, engine, liberty, netlist, sdc
from power.engine import PowerResult
from ref_model.errors import ConfigError

DEFAULT_INPUT_TRANSITION = 0.1e-9  # s, as in OpenSTA's gcd case; SDC overrides


@dataclass
class PowerJob:
    netlist: Path
    liberty: Path
    top: str | None = None
    activity: Path | None = None         # .vcd, .vcd.gz, .fst or .saif
    scope: str | None = None             # the netlist's instance in the activity file
    global_activity: tuple[float, float] | None = None  # (transitions per period, duty)
    sdc: Path | None = None
    clock_period: float | None = None    # s (overrides the SDC)
    input_transition: float | None = None  # s (overrides the SDC)
    clock: str | None = None             # clock port (default: the SDC's, or clk_i/clk)
    window_cycles: int | None = None     # None: one window for the whole activity
    wire_load: str | None = None         # a wire-load model of the liberty, or none
    blackbox: tuple[str, ...] = ()
    start: float | str | None = None     # activity from: None (first time stamp), "reset"
    #   (first rising clock edge after reset release, as the RTL capture), or a time


def run(job: PowerJob) -> PowerResult:
    _check(job)
    lib = liberty.load(job.liberty)
    design = netlist.read(job.netlist, lib, job.top, job.blackbox)
    constraints = _constraints(job, design, lib)
    period = job.clock_period or constraints.clock_period
    if period is None:
        raise ConfigError("no clock period: give --period or an SDC with create_clock")
    clock_port = _clock_port(job, design, constraints)
    clock_nets = engine.clock_network(design, lib, {design.ports[clock_port][1]})
    slew = job.input_transition
    if slew is None:
        slew = (constraints.input_transition if constraints.input_transition is not None
                else DEFAULT_INPUT_TRANSITION)
    if job.wire_load and job.wire_load not in lib.wire_loads:
        raise ConfigError(f"wire-load model '{job.wire_load}' is not in {job.liberty}; it has "
                          f"{', '.join(lib.wire_loads) or 'none'}")
    loads = {design.ports[p][1]: c for p, c in constraints.loads.items() if p in design.ports}
    elec = electrical.analyse(design, lib, slew, clock_nets, job.wire_load, loads)
    activity = _activity(job, design, clock_nets, period, clock_port)
    setup = {"netlist": str(job.netlist), "top": design.top, "liberty": lib.name,
             "liberty_sha256": lib.sha256, "voltage_v": lib.voltage, "clock": clock_port,
             "clock_period_s": period, "input_transition_s": slew,
             "wire_load": job.wire_load, "activity": activity.source,
             "scope": job.scope, "window_cycles": job.window_cycles, "start": job.start}
    return engine.compute(design, lib, elec, activity, clock_nets, setup)


def _check(job: PowerJob) -> None:
    if (job.activity is None) == (job.global_activity is None):
        raise ConfigError("give exactly one activity source: a VCD/FST/SAIF file, or a "
                          "global activity")
    if job.activity is not None:
        if not Path(job.activity).is_file():
            raise ConfigError(f"activity file {job.activity} does not exist")
        if not job.scope:
            raise ConfigError("an activity file needs --scope: the netlist's instance in it "
                              "(e.g. gcd_tb/gcd1)")
    if job.start is not None and (job.activity is None or Path(job.activity).suffix == ".saif"):
        raise ConfigError("a start time needs waves (VCD/FST): a SAIF file or a global "
                          "activity has no time axis")
    if job.window_cycles is not None and job.window_cycles < 1:
        raise ConfigError(f"--window must be at least 1 clock cycle, got {job.window_cycles}")
    for name, value in (("--period", job.clock_period),
                        ("--input-transition", job.input_transition)):
        if value is not None and value <= 0:
            raise ConfigError(f"{name} must be > 0, got {value}")


def _constraints(job: PowerJob, design, lib) -> sdc.Constraints:
    if job.sdc is None:
        return sdc.Constraints()
    inputs = [p for p, (d, _) in design.ports.items() if d == "input"]
    outputs = [p for p, (d, _) in design.ports.items() if d != "input"]
    return sdc.read(job.sdc, inputs, outputs, lib.time_unit, lib.cap_unit)


def _clock_port(job: PowerJob, design, constraints) -> str:
    candidates = ([job.clock] if job.clock else list(constraints.clocks)) or \
        [p for p in ("clk_i", "clk") if p in design.ports]
    if not candidates:
        raise ConfigError(f"no clock port found in {design.top}: name it with --clock")
    if candidates[0] not in design.ports:
        raise ConfigError(f"clock '{candidates[0]}' is not a port of {design.top}; ports: "
                          f"{', '.join(list(design.ports)[:12])}")
    return candidates[0]


def _activity(job: PowerJob, design, clock_nets, period: float, clock_port: str):
    if job.global_activity is not None:
        return annotate.global_activity(design, *job.global_activity, clock_nets, period)
    path = Path(job.activity)
    if path.suffix == ".saif":
        from power import saif
        activity = saif.read_saif(path, job.scope)
        return annotate.from_activity(design, activity, clock_nets, period)
    from power.activity import read_waves  # reads .vcd.gz too
    # a flat netlist's nets are the scope's own signals: the cells' pins below are not read
    activity = read_waves(path, job.scope, clock=clock_port, window_cycles=job.window_cycles,
                          start=job.start, below=False)
    return annotate.from_activity(design, activity, clock_nets, period)
