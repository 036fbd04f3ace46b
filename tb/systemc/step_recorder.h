// pezo_sc: the step-trace recorder of the native harness: at every step-done the host
// reads the engine's result registers and hands them here; the trace is what
// `pezo train --rtl --check-trace` compares with the fixed-point reference.
//
//   step <t> loss_plus <L+> loss_minus <L-> g_hat <g> wsig <signature>
//   theta <w_0> ... <w_d-1>        (the weights read back after the run)
#ifndef PEZO_SC_STEP_RECORDER_H_
#define PEZO_SC_STEP_RECORDER_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace pezo_sc {

class StepRecorder {
public:
    // The registers read after each step-done, in this order (their addresses come from
    // the host program, tb/train/host_program.py).
    static constexpr const char* kResults[] = {"STEP_COUNT", "LOSS_P_LO", "LOSS_P_HI",
                                               "LOSS_M_LO", "LOSS_M_HI", "G_HAT", "WSIG"};
    static constexpr size_t kResultCount = sizeof kResults / sizeof kResults[0];

    explicit StepRecorder(const std::string& path);
    ~StepRecorder();
    StepRecorder(const StepRecorder&) = delete;
    StepRecorder& operator=(const StepRecorder&) = delete;

    void step(const std::vector<uint32_t>& results);
    void weights(const std::vector<uint32_t>& words);
    uint64_t steps() const { return m_steps; }

private:
    std::FILE* m_trace;
    uint64_t m_steps = 0;
};

}  // namespace pezo_sc

#endif  // PEZO_SC_STEP_RECORDER_H_
