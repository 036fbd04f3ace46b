// pezo_sc: the native harness's register-bus host (reg_host.h).
#include "reg_host.h"

namespace pezo_sc {

RegisterHost::RegisterHost(sc_core::sc_module_name name, const std::string& program,
                           StepRecorder& recorder)
    : sc_core::sc_module(name), clk_i("clk_i"), rst_ni("rst_ni"), reg_addr_i("reg_addr_i"),
      reg_wdata_i("reg_wdata_i"), reg_we_i("reg_we_i"), reg_re_i("reg_re_i"),
      reg_rdata_o("reg_rdata_o"), busy_o("busy_o"), step_done_o("step_done_o"),
      m_program(program), m_recorder(recorder) {
    SC_HAS_PROCESS(RegisterHost);
    SC_THREAD(run);
    sensitive << clk_i.pos();
    dont_initialize();
}

void RegisterHost::run() {
    m_program.run(*this, m_recorder);
    sc_core::sc_stop();
}

}  // namespace pezo_sc
