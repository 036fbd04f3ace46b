// pezo_sc: the native harness's host: a register-bus master that runs a host program
// (written by tb/train/host_program.py from the reference) on the training engine, with no
// Python: reset, set-up writes, weight load, runs of N steps whose results it reads at
// every step-done into the StepRecorder, the final weight read-back. sc_stop() at the end.
//
// Program lines (numbers decimal; addresses are word addresses of the register bus):
//   reset <clocks>                     rst_ni low for that many rising edges
//   write <addr> <data>
//   write_block <addr> <n> <d_0> .. <d_n-1>   one write a clock (WDATA increments WADDR)
//   wait_clear <addr> <mask>           read every 64 clocks until (value & mask) == 0
//   results <addr> x 7                 the registers of StepRecorder::kResults
//   run <addr> <data> <steps>          write (START), record <steps> step-dones, until idle
//   readback <waddr> <wdata> <n>       WADDR = 0, n reads of WDATA into the recorder
//
// Bus timing as tb/train/bfm.py: a write holds reg_we_i one clock, then one idle clock; a
// read holds reg_re_i one clock and takes reg_rdata_o the clock after.
#ifndef PEZO_SC_REG_HOST_H_
#define PEZO_SC_REG_HOST_H_

#include <systemc>

#include <cstdint>
#include <string>
#include <vector>

#include "step_recorder.h"

namespace pezo_sc {

class RegisterHost : public sc_core::sc_module {
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
    using Op = std::vector<uint64_t>;  // the numbers of one program line
    struct Line {
        std::string op;
        Op args;
    };

    void run();
    void execute(const Line& line);
    void edge() { wait(); }
    void write(uint32_t addr, uint32_t data);
    uint32_t read(uint32_t addr);
    void write_block(uint32_t addr, const Op& args);
    std::vector<uint32_t> read_block(uint32_t addr, uint64_t count);
    void run_steps(uint32_t addr, uint32_t data, uint64_t steps);

    std::vector<Line> m_program;
    StepRecorder& m_recorder;
    std::vector<uint32_t> m_results;  // addresses, in StepRecorder::kResults order
};

}  // namespace pezo_sc

#endif  // PEZO_SC_REG_HOST_H_
