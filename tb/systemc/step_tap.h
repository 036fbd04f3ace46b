// pezo_sc: the step tap, a monitor that writes the step trace (step_recorder.h) while
// Python sleeps: one clock after every step-done it reads the engine's result registers
// through VPI (a backdoor: no bus cycle, so it never meets the bus master cocotb drives)
// into a StepRecorder. With it a cocotb test can start a run of N steps and wait on timers
// alone, which lets the bridge run SystemC at full speed (docs/systemc.md).
//
// `paths` name the registers below the design's VPI scope, in StepRecorder::kResults order
// but one path per register value: STEP_COUNT, loss+ (64-bit wide or less: LO and HI),
// loss-, G_HAT (sign-extended to 32 bits as the bus reads it), WSIG.
#ifndef PEZO_SC_STEP_TAP_H_
#define PEZO_SC_STEP_TAP_H_

#include <systemc>

#include <string>
#include <vector>

#include "step_recorder.h"
#include "verilated_vpi.h"

namespace pezo_sc {

class StepTap : public sc_core::sc_module {
public:
    static constexpr size_t kPathCount = 5;

    sc_core::sc_in<bool> clk_i;
    sc_core::sc_in<bool> step_done_o;

    StepTap(sc_core::sc_module_name name, const std::string& scope,
            const std::vector<std::string>& paths, StepRecorder& recorder);

private:
    void on_wake();
    void record();
    void attach();
    // A register's value as two 32-bit words; a signed one narrower than 32 sign-extended.
    std::vector<uint32_t> words(size_t register_index, bool is_signed = false);

    std::vector<std::string> m_names;
    std::vector<vpiHandle> m_handles;
    StepRecorder& m_recorder;
    int m_falling_edges = 0;  // since step-done rose
};

}  // namespace pezo_sc

#endif  // PEZO_SC_STEP_TAP_H_
