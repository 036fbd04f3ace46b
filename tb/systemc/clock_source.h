// pezo_sc: the clock of the SystemC models' tops, high for the first half of each period
// from time 0 as cocotb's Clock. A process writing the port's signal, not an sc_clock, so
// the generated top keeps one signal per port whoever drives it; a method, not a thread,
// since a thread's two context switches a clock were a tenth of the native run's time.
#ifndef PEZO_SC_CLOCK_SOURCE_H_
#define PEZO_SC_CLOCK_SOURCE_H_

#include <systemc>

namespace pezo_sc {

class ClockSource : public sc_core::sc_module {
public:
    sc_core::sc_out<bool> clk_o;

    ClockSource(sc_core::sc_module_name name, sc_core::sc_time period)
        : sc_core::sc_module(name), clk_o("clk_o"), m_half(period / 2) {
        SC_HAS_PROCESS(ClockSource);
        SC_METHOD(toggle);
    }

private:
    void toggle() {
        clk_o.write(m_level);
        m_level = !m_level;
        next_trigger(m_half);
    }

    sc_core::sc_time m_half;
    bool m_level = true;
};

}  // namespace pezo_sc

#endif  // PEZO_SC_CLOCK_SOURCE_H_
