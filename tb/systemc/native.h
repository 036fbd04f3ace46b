// pezo_sc: the run of a native top (no cocotb, no Python): the SystemC models drive every
// input; the simulation ends when the host's program does (sc_stop).
//
//   <exe> PROGRAM TRACE        (the host program, the step trace to write)
#ifndef PEZO_SC_NATIVE_H_
#define PEZO_SC_NATIVE_H_

#include <systemc>

#include <cstdio>
#include <string>

#include "cosim.h"
#include "verilated.h"

namespace pezo_sc {

struct NativeArgs {
    std::string program;
    std::string trace;
};

inline NativeArgs native_args(int argc, char** argv) {
    if (argc < 3 || argv[1][0] == '+' || argv[2][0] == '+') {
        config_error(std::string("usage: ") + argv[0] + " PROGRAM TRACE");
    }
    return {argv[1], argv[2]};
}

template <typename Model>
int run_native(int argc, char** argv, Model& model) {
    Verilated::commandArgs(argc, argv);
    sc_core::sc_start();
    model.final();
    std::printf("pezo_sc: %llu ps simulated\n",
                static_cast<unsigned long long>(sc_core::sc_time_stamp().value()));
    return Verilated::threadContextp()->errorCount() > 0 ? 1 : 0;
}

}  // namespace pezo_sc

#endif  // PEZO_SC_NATIVE_H_
