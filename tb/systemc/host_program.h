// pezo_sc: the host program of the training engine (written by tb/train/host_program.py from
// the reference) and its interpreter: reset, set-up writes, weight load, runs of N steps
// whose results it reads at every step-done into a StepRecorder, the final weight
// read-back. Plain C++ against a HostBus, so the SystemC RegisterHost (reg_host.h) and the
// plain Verilator loop (train_loop.cpp) run the same program with the same bus timing.
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
#ifndef PEZO_SC_HOST_PROGRAM_H_
#define PEZO_SC_HOST_PROGRAM_H_

#include <cstdint>
#include <string>
#include <vector>

#include "step_recorder.h"

namespace pezo_sc {

// The engine's host-side ports. Outputs are read as they were just before the last rising
// edge; inputs set now are seen by the engine at the next one.
class HostBus {
public:
    virtual ~HostBus() = default;
    virtual void edge() = 0;  // until the next rising edge of clk_i
    virtual void set_reset(bool asserted) = 0;
    virtual void set_addr(uint32_t addr) = 0;
    virtual void set_wdata(uint32_t data) = 0;
    virtual void set_we(bool on) = 0;
    virtual void set_re(bool on) = 0;
    virtual uint32_t rdata() = 0;
    virtual bool busy() = 0;
    virtual bool step_done() = 0;
    // Until the first rising edge that sees step_done high (a bus may sleep till then).
    virtual void until_step_done() {
        do edge(); while (!step_done());
    }
};

class HostProgram {
public:
    explicit HostProgram(const std::string& path);  // a bad line: config_error
    void run(HostBus& bus, StepRecorder& recorder) const;

private:
    using Op = std::vector<uint64_t>;  // the numbers of one program line
    struct Line {
        std::string op;
        Op args;
    };

    std::vector<Line> m_program;
};

}  // namespace pezo_sc

#endif  // PEZO_SC_HOST_PROGRAM_H_
