"""C++ a build carries around the design, chosen by name (`TestSpec.attachment`): SystemC
models in a verilator-sc top, or a plain C++ main on verilator; the code is the C++ library
beside this file.

A SystemC attachment names the model inputs its processes drive: the generated top binds
those to plain signals, not mirrored ones (a mirror would copy the stale Verilog value back
over the process's write, docs/systemc.md). It also names the HDL parameters its models are
built for, its C++ sources and the lines of sc_main that build and bind it. A main
attachment (`main=True`, simulator verilator) replaces cocotb's C++ main; its parameters
reach the C++ as -DPEZO_<NAME>.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ref_model.errors import ConfigError
from tb.common.clocking import CLOCK_PERIOD_NS
from tb.systemc.ports import Design

# The training DMA's files, in the test's folder (the simulator's working directory): the
# data the TlmMemory holds (tb/train/dma_data.py writes it; PEZO_DMA_DATA names another),
# the SampleMonitor's report (tb/train/stream_check.py reads it) and the StepTap's step
# trace (the test's BFM tails it, tb/train/trace_check.py parses it).
DMA_DATA = "dma_data.bin"
DMA_REPORT = "dma_stream.txt"
TAP_TRACE = "step_trace.txt"
# What the StepTap reads through VPI below the design's scope (step_tap.h), and the
# Verilator control lines that make exactly those variables readable.
TAP_REGS = "u_engine.u_regs"
TAP_PATHS = ("step_count_i", "last_loss_p_q", "last_loss_m_q", "last_g_hat_q", "last_wsig_q")
TAP_PUBLIC = tuple(("pezo_train_regs", var) for var in TAP_PATHS)
SAMPLE_PORTS = ("clk_i", "rst_ni", "s_ready_o", "s_valid_i", "s_pixels_i", "s_label_i")
HOST_PORTS = ("clk_i", "rst_ni", "reg_addr_i", "reg_wdata_i", "reg_we_i", "reg_re_i",
              "reg_rdata_o", "busy_o", "step_done_o")
# the instance name of the Verilated model in every generated top
MODEL_INSTANCE = "dut"


def vpi_scope(toplevel: str) -> str:
    """The model's VPI scope; cocotb takes `top.<scope>` (it drops a library name)."""
    return f"{MODEL_INSTANCE}.{toplevel}"


@dataclass(frozen=True)
class Attachment:
    name: str
    includes: tuple[str, ...]
    sources: tuple[str, ...]   # C++ files of tb/systemc the build compiles
    drives: tuple[str, ...]    # model inputs its processes drive
    params: tuple[str, ...]    # HDL parameters body() reads
    body: Callable[[Design, dict[str, int]], list[str]] | None
    # a native top: the models drive every input and body() ends sc_main (no cocotb)
    native: bool = False
    # (module, variable) pairs the models read through VPI: made public in the build
    public: tuple[tuple[str, str], ...] = ()
    # the simulator whose build it extends; a main replaces cocotb's C++ main (no SystemC)
    simulator: str = "verilator-sc"
    main: bool = False

    def defines(self, params: dict[str, str]) -> list[str]:
        """A main's -CFLAGS: its HDL parameters as PEZO_<NAME> macros."""
        return [f"-DPEZO_{name}={params[name]}" for name in self.params]

    def lines(self, design: Design, params: dict[str, int]) -> list[str]:
        missing = [p for p in self.params if p not in params]
        if missing:
            raise ConfigError(f"attachment {self.name} needs HDL parameter(s) "
                              f"{', '.join(missing)} of {design.toplevel}")
        for name in self.drives:
            design.port(name)
        undriven = [p.name for p in design.inputs if p.name not in self.drives]
        if self.native and undriven:
            raise ConfigError(f"native attachment {self.name} drives no {', '.join(undriven)}")
        return self.body(design, params)


def _bind(instance: str, ports: tuple[str, ...]) -> list[str]:
    return [f"    {instance}.{port}({port});" for port in ports]


def _clock() -> list[str]:
    return [f'    pezo_sc::ClockSource clock{{"clock", sc_core::sc_time({CLOCK_PERIOD_NS}, '
            'sc_core::SC_NS)};',
            "    clock.clk_o(clk_i);"]


def _dma_models(design: Design, params: dict[str, int]) -> list[str]:
    """TlmMemory <- SampleDma -> the sample port, and a SampleMonitor on the port."""
    types = f"<{design.port('s_pixels_i').sc_type}, {design.port('s_label_i').sc_type}>"
    shape = f"{params['N_IN']}u, {params['N_OUT']}u, {params['MAX_BATCH']}u"
    return [f'    pezo_sc::TlmMemory memory{{"memory", pezo_sc::env_or("PEZO_DMA_DATA", '
            f'"{DMA_DATA}")}};',
            f'    pezo_sc::SampleDma{types} dma{{"dma", pezo_sc::DesignShape{{{shape}}}}};',
            "    dma.socket.bind(memory.socket);",
            *_bind("dma", SAMPLE_PORTS),
            f'    pezo_sc::SampleMonitor{types} monitor{{"monitor", memory, "{DMA_REPORT}"}};',
            *_bind("monitor", SAMPLE_PORTS)]


def _train_dma(design: Design, params: dict[str, int]) -> list[str]:
    """The clock, the DMA's models and the step tap; cocotb drives the register bus."""
    paths = ", ".join(f'"{TAP_REGS}.{p}"' for p in TAP_PATHS)
    return [*_clock(), *_dma_models(design, params),
            f'    pezo_sc::StepRecorder tap_trace{{"{TAP_TRACE}"}};',
            f'    pezo_sc::StepTap tap{{"tap", "{vpi_scope(design.toplevel)}", {{{paths}}}, '
            "tap_trace};",
            *_bind("tap", ("clk_i", "step_done_o"))]


def _train_native(design: Design, params: dict[str, int]) -> list[str]:
    """The clock, the DMA's models and the register host: training with no Python."""
    return ["    const pezo_sc::NativeArgs args = pezo_sc::native_args(argc, argv);",
            *_clock(), *_dma_models(design, params),
            "    pezo_sc::StepRecorder recorder{args.trace};",
            '    pezo_sc::RegisterHost host{"host", args.program, recorder};',
            *_bind("host", HOST_PORTS),
            f"    return pezo_sc::run_native(argc, argv, {MODEL_INSTANCE});"]


ATTACHMENTS = {
    "train_dma": Attachment(
        "train_dma", ("clock_source.h", "tlm_memory.h", "dma.h", "sample_monitor.h",
                      "step_tap.h"),
        ("data_layout.cpp", "tlm_memory.cpp", "sample_feed.cpp", "dma.cpp",
         "sample_monitor.cpp", "step_recorder.cpp", "step_tap.cpp"),
        ("clk_i", "s_valid_i", "s_pixels_i", "s_label_i"), ("N_IN", "N_OUT", "MAX_BATCH"),
        _train_dma, public=TAP_PUBLIC),
    "train_native": Attachment(
        "train_native", ("tlm_memory.h", "dma.h", "sample_monitor.h", "clock_source.h",
                         "reg_host.h", "native.h"),
        ("data_layout.cpp", "tlm_memory.cpp", "sample_feed.cpp", "dma.cpp",
         "sample_monitor.cpp", "step_recorder.cpp", "host_program.cpp", "reg_host.cpp"),
        ("clk_i", "rst_ni", "reg_addr_i", "reg_wdata_i", "reg_we_i", "reg_re_i", "s_valid_i",
         "s_pixels_i", "s_label_i"), ("N_IN", "N_OUT", "MAX_BATCH"), _train_native,
        native=True),
    # the plain C++ loop, no SystemC: the speed anchor of make bench (regress/train_bench.py)
    "train_loop": Attachment(
        "train_loop", ("host_program.h", "sample_feed.h", "step_recorder.h"),
        ("train_loop.cpp", "host_program.cpp", "sample_feed.cpp", "data_layout.cpp",
         "step_recorder.cpp", "config_error.cpp"),
        (), ("N_IN", "N_OUT", "MAX_BATCH"), None, simulator="verilator", main=True),
}


def get(name: str) -> Attachment:
    if name not in ATTACHMENTS:
        raise ConfigError(f"unknown attachment '{name}' (known: {', '.join(ATTACHMENTS)})")
    return ATTACHMENTS[name]
