// pezo_sc: the sample-port monitor (sample_monitor.h).
#include "sample_monitor.h"

namespace pezo_sc {

SampleMonitorBase::SampleMonitorBase(sc_core::sc_module_name name, TlmMemory& memory,
                                     const std::string& report_path)
    : sc_core::sc_module(name), clk_i("clk_i"), rst_ni("rst_ni"), s_valid_i("s_valid_i"),
      s_ready_o("s_ready_o"), m_memory(memory), m_report(std::fopen(report_path.c_str(), "w")) {
    if (!m_report) config_error("sample monitor: cannot write " + report_path);
    SC_HAS_PROCESS(SampleMonitorBase);
    SC_METHOD(on_wake);
    sensitive << clk_i.pos();
    dont_initialize();
}

SampleMonitorBase::~SampleMonitorBase() { std::fclose(m_report); }

// At a rising edge every port still holds the value from before it: a beat moves now.
// Between beats the monitor sleeps until the handshake or rst_ni moves (as the DMA does).
void SampleMonitorBase::on_wake() {
    const bool beat = s_valid_i.read() && s_ready_o.read();
    if (clk_i.posedge()) {
        if (!rst_ni.read()) {
            m_sample = 0;
            m_checksum = 0;
        } else if (beat) {
            check_beat();
        }
    }
    if (!rst_ni.read() || beat) {
        next_trigger(clk_i.posedge_event());
    } else {
        next_trigger(s_valid_i.value_changed_event() | s_ready_o.value_changed_event()
                     | rst_ni.value_changed_event());
    }
}

void SampleMonitorBase::check_beat() {
    if (!m_started) {
        const uint8_t* header = m_memory.peek(0, DataLayout::kHeaderBytes);
        const std::string problem = header ? parse_layout(header, m_layout) : "too short";
        if (!problem.empty()) config_error("sample monitor: data file " + problem);
        m_started = true;
    }
    read_beat(m_actual);
    expected_beat(m_expected);
    for (uint32_t w = 0; w < m_actual.size(); ++w) {
        if (m_actual[w] != m_expected[w]) {
            std::fprintf(m_report, "mismatch step %u sample %u word %u expected 0x%08x "
                         "actual 0x%08x\n", m_step, m_sample, w, m_expected[w], m_actual[w]);
            std::fflush(m_report);  // the test reads the report while the simulation runs
            break;
        }
    }
    const uint32_t base = m_sample * m_layout.beat_words();
    for (uint32_t w = 0; w < m_actual.size(); ++w) m_checksum += m_actual[w] * (base + w + 1);
    if (++m_sample == m_layout.batch) {
        std::fprintf(m_report, "step %u samples %u checksum %u\n", m_step, m_sample, m_checksum);
        std::fflush(m_report);
        m_sample = 0;
        m_checksum = 0;
        ++m_step;
    }
}

// The beat the data file says comes now; beyond its last step, words no beat can have.
void SampleMonitorBase::expected_beat(std::vector<uint32_t>& words) {
    words.assign(m_layout.beat_words(), 0xFFFFFFFFu);
    const uint8_t* index = m_step < m_layout.steps
        ? m_memory.peek(m_layout.index_addr(m_step, m_sample), 4) : nullptr;
    const uint8_t* record = index
        ? m_memory.peek(m_layout.record_addr(le32(index)), m_layout.record_bytes()) : nullptr;
    if (record) record_words(m_layout, record, words);
}

}  // namespace pezo_sc
