// pezo_sc: the bridge loop and the input mirrors (see cosim.h and docs/systemc.md).
#include "cosim.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" void vlog_startup_routines_bootstrap(void);

namespace pezo_sc {

InputMirror::InputMirror(std::string vpi_name) : m_vpi_name(std::move(vpi_name)) {}

void InputMirror::attach() {
    m_handle = vpi_handle_by_name(const_cast<PLI_BYTE8*>(m_vpi_name.c_str()), nullptr);
    if (!m_handle) {
        VL_PRINTF("pezo_sc: no VPI handle for input %s (not public?)\n", m_vpi_name.c_str());
        Verilated::threadContextp()->gotError(true);
        Verilated::threadContextp()->gotFinish(true);
        return;
    }
    const int width = vpi_get(vpiSize, m_handle);
    m_words.assign(static_cast<size_t>((width + 31) / 32), 0u);
}

const std::vector<uint32_t>& InputMirror::vpi_words() {
    s_vpi_value value;
    value.format = vpiVectorVal;
    vpi_get_value(m_handle, &value);
    for (size_t i = 0; i < m_words.size(); ++i) m_words[i] = value.value.vector[i].aval;
    return m_words;
}

bool InputMirror::mirror() { return m_handle && copy_if_changed(vpi_words()); }

void Bridge::start() {
    vlog_startup_routines_bootstrap();
    for (InputMirror* input : m_inputs) input->attach();
    VerilatedVpi::callCbs(cbStartOfSimulation);
    after_callbacks();
}

// After any batch of cocotb callbacks: apply its inertial writes, run the value-change
// callbacks they cause until quiet, then copy what VPI wrote onto the input signals.
void Bridge::after_callbacks() {
    VerilatedVpi::doInertialPuts();
    while (VerilatedVpi::callValueCbs()) VerilatedVpi::doInertialPuts();
    for (InputMirror* input : m_inputs) input->mirror();
}

// Every delta of the current time, ReadWrite callbacks (again while they cause activity),
// then ReadOnly: the order of cocotb's own Verilator main.
void Bridge::settle_time_step() {
    do {
        while (sc_core::sc_pending_activity_at_current_time()) {
            sc_core::sc_start(sc_core::SC_ZERO_TIME);
            after_callbacks();
        }
        VerilatedVpi::callCbs(cbReadWriteSynch);
        after_callbacks();
    } while (sc_core::sc_pending_activity_at_current_time());
    VerilatedVpi::callCbs(cbReadOnlySynch);
}

// Python listens to signals or simulation phases: it must see every SystemC time step.
static bool python_watches_steps() {
    return VerilatedVpi::hasCbs(cbValueChange) || VerilatedVpi::hasCbs(cbReadWriteSynch)
           || VerilatedVpi::hasCbs(cbReadOnlySynch) || VerilatedVpi::hasCbs(cbNextSimTime);
}

// Run SystemC to the next time anything happens (cocotb's next timer, or SystemC's own next
// event while Python watches steps); sc_start stops there with that time's events not yet
// run, so cocotb's timers fire first, as in cocotb's loop. False when nothing is left.
bool Bridge::advance_time() {
    const uint64_t none = ~0ULL;
    const uint64_t now = sc_core::sc_time_stamp().value();
    uint64_t next = VerilatedVpi::cbNextDeadline();
    if (sc_core::sc_pending_activity() && (next == none || python_watches_steps())) {
        const uint64_t systemc_next = now + sc_core::sc_time_to_pending_activity().value();
        next = std::min(next, systemc_next);
    }
    if (next == none) return false;
    if (next > now) sc_core::sc_start(sc_core::sc_time::from_value(next - now));
    VerilatedVpi::callCbs(cbNextSimTime);
    after_callbacks();
    VerilatedVpi::callTimedCbs();
    after_callbacks();
    return true;
}

void Bridge::run() {
    while (!Verilated::gotFinish()) {
        settle_time_step();
        if (Verilated::gotFinish() || !advance_time()) break;
    }
    while (sc_core::sc_pending_activity_at_current_time()) {
        sc_core::sc_start(sc_core::SC_ZERO_TIME);
    }
}

void Bridge::finish() { VerilatedVpi::callCbs(cbEndOfSimulation); }

TraceRequest parse_trace_args(int argc, char** argv) {
    TraceRequest request;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--trace") == 0) request.on = true;
        if (std::strcmp(argv[i], "--trace-file") == 0 && i + 1 < argc) request.file = argv[++i];
    }
    return request;
}

}  // namespace pezo_sc
