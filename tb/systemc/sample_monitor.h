// pezo_sc: a monitor on the training engine's sample port that checks every beat the
// engine took (s_valid_i and s_ready_o high at a rising edge of clk_i) against the data
// file in the TlmMemory (read through its backdoor, not through the DMA), word by word.
//
// It writes a report the test reads (tb/train/stream_check.py), one line per completed
// step and one per beat that differs, at its first differing word:
//   step <t> samples <n> checksum <c>      c = sum of word_k * (k + 1) mod 2^32 over the
//                                           step's beats in order (data_layout.h words)
//   mismatch step <t> sample <i> word <w> expected 0x<hex> actual 0x<hex>
// A reset drops the step's partial batch, as the engine and the DMA do.
#ifndef PEZO_SC_SAMPLE_MONITOR_H_
#define PEZO_SC_SAMPLE_MONITOR_H_

#include <systemc>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "cosim.h"
#include "data_layout.h"
#include "tlm_memory.h"

namespace pezo_sc {

// The monitor without its two typed data ports.
class SampleMonitorBase : public sc_core::sc_module {
public:
    sc_core::sc_in<bool> clk_i;
    sc_core::sc_in<bool> rst_ni;
    sc_core::sc_in<bool> s_valid_i;
    sc_core::sc_in<bool> s_ready_o;

    SampleMonitorBase(sc_core::sc_module_name name, TlmMemory& memory,
                      const std::string& report_path);
    ~SampleMonitorBase() override;

protected:
    // The beat on the data ports now: the pixel words, then the label word.
    virtual void read_beat(std::vector<uint32_t>& words) = 0;

private:
    void on_wake();
    void expected_beat(std::vector<uint32_t>& words);
    void check_beat();

    TlmMemory& m_memory;
    std::FILE* m_report;
    DataLayout m_layout;
    bool m_started = false;
    uint32_t m_step = 0, m_sample = 0, m_checksum = 0;
    std::vector<uint32_t> m_actual, m_expected;
};

template <typename Pixels, typename Label>
class SampleMonitor final : public SampleMonitorBase {
public:
    sc_core::sc_in<Pixels> s_pixels_i;
    sc_core::sc_in<Label> s_label_i;

    SampleMonitor(sc_core::sc_module_name name, TlmMemory& memory,
                  const std::string& report_path)
        : SampleMonitorBase(name, memory, report_path), s_pixels_i("s_pixels_i"),
          s_label_i("s_label_i") {}

private:
    void read_beat(std::vector<uint32_t>& words) override {
        to_words(s_pixels_i.read(), words);
        std::vector<uint32_t> label;
        to_words(s_label_i.read(), label);
        words.push_back(label[0]);
    }
};

}  // namespace pezo_sc

#endif  // PEZO_SC_SAMPLE_MONITOR_H_
