// pezo_sc: the step tap (step_tap.h).
#include "step_tap.h"

#include "cosim.h"

namespace pezo_sc {

StepTap::StepTap(sc_core::sc_module_name name, const std::string& scope,
                 const std::vector<std::string>& paths, StepRecorder& recorder)
    : sc_core::sc_module(name), clk_i("clk_i"), step_done_o("step_done_o"),
      m_recorder(recorder) {
    if (paths.size() != kPathCount) config_error("step tap: expected 5 register paths");
    for (const std::string& path : paths) m_names.push_back(scope + "." + path);
    SC_HAS_PROCESS(StepTap);
    SC_METHOD(on_wake);
    sensitive << step_done_o.pos();  // asleep between steps: no process at every clock
    dont_initialize();
}

// The handles exist once VPI is up (after elaboration); looked up at the first use.
void StepTap::attach() {
    for (const std::string& name : m_names) {
        vpiHandle handle = vpi_handle_by_name(const_cast<PLI_BYTE8*>(name.c_str()), nullptr);
        if (!handle) config_error("step tap: no VPI handle for " + name + " (not public?)");
        m_handles.push_back(handle);
    }
}

std::vector<uint32_t> StepTap::words(size_t register_index, bool is_signed) {
    vpiHandle handle = m_handles[register_index];
    const int width = vpi_get(vpiSize, handle);
    s_vpi_value value;
    value.format = vpiVectorVal;
    vpi_get_value(handle, &value);
    std::vector<uint32_t> out(2, 0u);
    for (int i = 0; i < (width + 31) / 32 && i < 2; ++i) out[i] = value.value.vector[i].aval;
    if (is_signed && width < 32 && (out[0] >> (width - 1) & 1u)) out[0] |= ~0u << width;
    return out;
}

// Registers take a step's results at the rising edge after its step-done, so they are
// read at the second falling edge after step-done rose, as the bus would read them.
void StepTap::on_wake() {
    if (step_done_o.posedge()) {
        m_falling_edges = 0;
    } else if (++m_falling_edges == 2) {
        record();
        return;  // back to the static sensitivity: the next step-done
    }
    next_trigger(clk_i.negedge_event());
}

void StepTap::record() {
    if (m_handles.empty()) attach();
    const std::vector<uint32_t> lp = words(1), lm = words(2);
    m_recorder.step({words(0)[0], lp[0], lp[1], lm[0], lm[1], words(3, true)[0], words(4)[0]});
}

}  // namespace pezo_sc
