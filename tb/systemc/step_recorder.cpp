// pezo_sc: the step-trace recorder (step_recorder.h).
#include "step_recorder.h"

#include "config_error.h"

namespace pezo_sc {

StepRecorder::StepRecorder(const std::string& path) : m_trace(std::fopen(path.c_str(), "w")) {
    if (!m_trace) config_error("step recorder: cannot write " + path);
}

StepRecorder::~StepRecorder() { std::fclose(m_trace); }

void StepRecorder::step(const std::vector<uint32_t>& r) {
    const uint64_t loss_plus = r[1] | static_cast<uint64_t>(r[2]) << 32;
    const uint64_t loss_minus = r[3] | static_cast<uint64_t>(r[4]) << 32;
    std::fprintf(m_trace, "step %lld loss_plus %llu loss_minus %llu g_hat %d wsig %u\n",
                 static_cast<long long>(r[0]) - 1, static_cast<unsigned long long>(loss_plus),
                 static_cast<unsigned long long>(loss_minus), static_cast<int32_t>(r[5]), r[6]);
    std::fflush(m_trace);  // a reader may tail the trace while the simulation runs
    ++m_steps;
}

void StepRecorder::weights(const std::vector<uint32_t>& words) {
    std::fprintf(m_trace, "theta");
    for (uint32_t w : words) std::fprintf(m_trace, " %d", static_cast<int32_t>(w));
    std::fprintf(m_trace, "\n");
    std::fflush(m_trace);
}

}  // namespace pezo_sc
