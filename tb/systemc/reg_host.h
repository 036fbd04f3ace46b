// pezo_sc: the native harness's host: a register-bus master, an SC_THREAD that runs a host
// program (host_program.h) on the training engine with no Python, then sc_stop().
#ifndef PEZO_SC_REG_HOST_H_
#define PEZO_SC_REG_HOST_H_

#include <systemc>

#include <cstdint>
#include <string>

#include "host_program.h"
#include "step_recorder.h"

namespace pezo_sc {

class RegisterHost : public sc_core::sc_module, private HostBus {
public:
    sc_core::sc_in<bool> clk_i;
    sc_core::sc_out<bool> rst_ni;
    sc_core::sc_out<uint32_t> reg_addr_i;
    sc_core::sc_out<uint32_t> reg_wdata_i;
    sc_core::sc_out<bool> reg_we_i;
    sc_core::sc_out<bool> reg_re_i;
    sc_core::sc_in<uint32_t> reg_rdata_o;
    sc_core::sc_in<bool> busy_o;
    sc_core::sc_in<bool> step_done_o;

    RegisterHost(sc_core::sc_module_name name, const std::string& program,
                 StepRecorder& recorder);

private:
    void run();
    // HostBus: a signal written at a rising edge is seen by the engine at the next one; a
    // read at an edge gives the value before it.
    void edge() override { wait(); }
    void set_reset(bool asserted) override { rst_ni.write(!asserted); }
    void set_addr(uint32_t addr) override { reg_addr_i.write(addr); }
    void set_wdata(uint32_t data) override { reg_wdata_i.write(data); }
    void set_we(bool on) override { reg_we_i.write(on); }
    void set_re(bool on) override { reg_re_i.write(on); }
    uint32_t rdata() override { return reg_rdata_o.read(); }
    bool busy() override { return busy_o.read(); }
    bool step_done() override { return step_done_o.read(); }
    // Asleep through the step, not woken at every clock: the thread's switches were a
    // large part of the native run.
    void until_step_done() override {
        wait();
        if (step_done_o.read()) return;
        wait(step_done_o.posedge_event());  // caught even if it rises at this edge
        wait();
    }

    HostProgram m_program;
    StepRecorder& m_recorder;
};

}  // namespace pezo_sc

#endif  // PEZO_SC_REG_HOST_H_
