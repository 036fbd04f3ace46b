// pezo_sc: the bridge between cocotb's VPI and a Verilator --sc model in a SystemC top.
//
// A generated top (tb/systemc/top_gen.py) binds every port of the model to a signal, makes
// the inputs MirroredSignals, hands them to a Bridge and calls run_cosim(). The bridge steps
// the SystemC kernel from sc_main and runs cocotb's callbacks between the steps, in the order
// cocotb's own Verilator main runs them. docs/systemc.md explains the loop and why the
// inputs are mirrored.
#ifndef PEZO_SC_COSIM_H_
#define PEZO_SC_COSIM_H_

#include <systemc>

#include <cstdint>
#include <string>
#include <vector>

#include "config_error.h"
#include "verilated.h"
#include "verilated_vpi.h"

#if VM_TRACE_FST
#include "verilated_fst_sc.h"
using WaveFile = VerilatedFstSc;
#elif VM_TRACE
#include "verilated_vcd_sc.h"
using WaveFile = VerilatedVcdSc;
#endif

namespace pezo_sc {

// One input port whose value cocotb may write through VPI. Every evaluation of a --sc model
// copies its SystemC input ports over the Verilog variables VPI wrote, so a VPI write is lost
// unless it is copied onto the bound signal first: mirror() does that.
class InputMirror {
public:
    explicit InputMirror(std::string vpi_name);
    virtual ~InputMirror() = default;
    // Look up the port's VPI handle (after the VPI libraries started).
    void attach();
    // Copy the Verilog variable onto the signal when they differ; true if it did.
    bool mirror();

protected:
    // The port's current VPI value as 32-bit words, least significant first.
    const std::vector<uint32_t>& vpi_words();
    virtual bool copy_if_changed(const std::vector<uint32_t>& words) = 0;

private:
    std::string m_vpi_name;
    vpiHandle m_handle = nullptr;
    std::vector<uint32_t> m_words;
};

// Conversions between VPI words and the SystemC types Verilator gives ports: bool (1 bit),
// uint32_t (2..32), uint64_t (33..64), sc_bv<W> (65 and wider).
inline void from_words(const std::vector<uint32_t>& w, bool& v) { v = w[0] & 1u; }
inline void from_words(const std::vector<uint32_t>& w, uint32_t& v) { v = w[0]; }
inline void from_words(const std::vector<uint32_t>& w, uint64_t& v) {
    v = w[0] | (w.size() > 1 ? static_cast<uint64_t>(w[1]) << 32 : 0);
}
template <int W>
void from_words(const std::vector<uint32_t>& w, sc_dt::sc_bv<W>& v) {
    for (size_t i = 0; i < w.size(); ++i) v.set_word(static_cast<int>(i), w[i]);
}

// And back: a port's value as 32-bit words, least significant first (what a monitor reads).
inline void to_words(bool v, std::vector<uint32_t>& w) { w.assign(1, v ? 1u : 0u); }
inline void to_words(uint32_t v, std::vector<uint32_t>& w) { w.assign(1, v); }
inline void to_words(uint64_t v, std::vector<uint32_t>& w) {
    w.assign({static_cast<uint32_t>(v), static_cast<uint32_t>(v >> 32)});
}
template <int W>
void to_words(const sc_dt::sc_bv<W>& v, std::vector<uint32_t>& w) {
    w.resize((W + 31) / 32);
    for (size_t i = 0; i < w.size(); ++i) w[i] = v.get_word(static_cast<int>(i));
}

// A signal bound to a model input, mirrored from VPI. The copy is an ordinary write(): the
// bridge mirrors right after each batch of callbacks, before the kernel runs again, so the
// model's next evaluation reads the value cocotb wrote.
template <typename T>
class MirroredSignal final : public sc_core::sc_signal<T>, public InputMirror {
public:
    MirroredSignal(const char* name, const std::string& vpi_name)
        : sc_core::sc_signal<T>(name), InputMirror(vpi_name) {}

private:
    bool copy_if_changed(const std::vector<uint32_t>& words) override {
        T value;
        from_words(words, value);
        if (value == this->read()) return false;
        this->write(value);
        return true;
    }
};

// The simulation loop: SystemC stepped from sc_main, cocotb's callbacks between the steps.
class Bridge {
public:
    void add(InputMirror& input) { m_inputs.push_back(&input); }
    // Start cocotb (VPI start-up routines, start of simulation) after elaboration.
    void start();
    // Run until $finish, cocotb ends the test, or nothing is left to do; then let the model
    // evaluate the last inputs cocotb wrote (the waves record them).
    void run();
    // End of simulation callbacks (after the model's final()).
    void finish();

private:
    void after_callbacks();
    void settle_time_step();
    bool advance_time();
    std::vector<InputMirror*> m_inputs;
};

// Waves on request, as cocotb's Verilator main takes them: --trace [--trace-file FILE].
struct TraceRequest {
    bool on = false;
    std::string file = "dump.fst";
};
TraceRequest parse_trace_args(int argc, char** argv);

// The whole run of a generated top: elaboration, waves, the loop, the end.
template <typename Model>
int run_cosim(int argc, char** argv, Model& model, Bridge& bridge) {
    Verilated::commandArgs(argc, argv);
    Verilated::fatalOnVpiError(false);  // cocotb probes handles that may not exist
    const TraceRequest trace = parse_trace_args(argc, argv);
#if VM_TRACE
    Verilated::traceEverOn(true);
#endif
    sc_core::sc_start(sc_core::SC_ZERO_TIME);  // elaboration and the first evaluation
#if VM_TRACE
    WaveFile* waves = nullptr;
    if (trace.on) {
        waves = new WaveFile;
        model.trace(waves, 99);
        waves->open(trace.file.c_str());
    }
#else
    if (trace.on) {
        VL_PRINTF("pezo_sc: --trace needs a build with waves\n");
        return 1;
    }
#endif
    bridge.start();
    bridge.run();
    model.final();
#if VM_TRACE
    if (waves) {
        // The kernel dumps a time step when time next advances; the last one never does.
        waves->cycle();
        waves->close();
    }
#endif
    bridge.finish();
    sc_core::sc_stop();
    return Verilated::threadContextp()->errorCount() > 0 ? 1 : 0;
}

}  // namespace pezo_sc

#endif  // PEZO_SC_COSIM_H_
