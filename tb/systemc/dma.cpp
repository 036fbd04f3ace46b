// pezo_sc: the sample DMA (dma.h).
#include "dma.h"

#include <cstdio>

namespace pezo_sc {

WordFlip parse_flip(const std::string& text) {
    WordFlip flip;
    if (text.empty()) return flip;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%u,%u,%u,%u%c", &flip.step, &flip.sample, &flip.word,
                    &flip.bit, &tail) != 4 || flip.bit > 31) {
        config_error("PEZO_DMA_FLIP='" + text + "': expected step,sample,word,bit (bit 0..31)");
    }
    flip.on = true;
    return flip;
}

SampleDmaBase::SampleDmaBase(sc_core::sc_module_name name, const DesignShape& design)
    : sc_core::sc_module(name), socket("socket"), clk_i("clk_i"), rst_ni("rst_ni"),
      s_ready_o("s_ready_o"), s_valid_i("s_valid_i"), m_design(design),
      m_flip(parse_flip(env_or("PEZO_DMA_FLIP", ""))) {
    SC_HAS_PROCESS(SampleDmaBase);
    SC_METHOD(on_rising_edge);  // a method, not a thread: no context switch every clock
    sensitive << clk_i.pos();
    dont_initialize();
}

void SampleDmaBase::on_rising_edge() {
    if (!rst_ni.read()) {
        m_valid = false;
        m_sample = 0;
    } else {
        if (!m_started) start();
        if (m_valid && s_ready_o.read()) {  // the engine took the beat at this edge
            m_valid = false;
            ++m_beats;
            if (++m_sample == m_layout.batch) {
                m_sample = 0;
                ++m_step;
            }
        }
        if (!m_valid && m_step < m_layout.steps) {
            present();
            m_valid = true;
        }
    }
    s_valid_i.write(m_valid);
}

void SampleDmaBase::start() {
    uint8_t header[DataLayout::kHeaderBytes];
    if (!readable(0) || !readable(sizeof header - 1)) {
        config_error("DMA data file: shorter than its header");
    }
    read(0, header, sizeof header);
    std::string problem = parse_layout(header, m_layout);
    if (problem.empty()) problem = check_layout(m_layout, m_design);  // the design first:
    const uint64_t end = m_layout.total_bytes();  // a misfit also changes the size
    if (problem.empty() && (!readable(end - 1) || readable(end))) {
        problem = "its size is not the " + std::to_string(end) + " bytes its header describes";
    }
    if (!problem.empty()) config_error("DMA data file: " + problem);
    if (m_flip.on && m_flip.word >= m_layout.beat_words()) {
        config_error("PEZO_DMA_FLIP: word " + std::to_string(m_flip.word) + ", a beat has "
                     + std::to_string(m_layout.beat_words()) + " words");
    }
    m_record.resize(m_layout.record_bytes());
    m_started = true;
}

// Whether the memory has a byte at `addr` (TLM debug transport: no time, no side effect).
bool SampleDmaBase::readable(uint64_t addr) {
    uint8_t byte = 0;
    tlm::tlm_generic_payload probe;
    probe.set_read();
    probe.set_address(addr);
    probe.set_data_ptr(&byte);
    probe.set_data_length(1);
    probe.set_streaming_width(1);
    probe.set_byte_enable_ptr(nullptr);
    return socket->transport_dbg(probe) == 1;
}

std::string SampleDmaBase::where() const {
    return "step " + std::to_string(m_step) + " sample " + std::to_string(m_sample);
}

// Fetch sample m_sample of step m_step (its index, then its record) and drive it.
void SampleDmaBase::present() {
    uint8_t index_bytes[4];
    read(m_layout.index_addr(m_step, m_sample), index_bytes, 4);
    const uint32_t n = le32(index_bytes);
    if (n >= m_layout.samples) {
        config_error("DMA data file: " + where() + ": index " + std::to_string(n)
                     + " outside the " + std::to_string(m_layout.samples) + " samples");
    }
    read(m_layout.record_addr(n), m_record.data(), static_cast<unsigned int>(m_record.size()));
    const uint32_t label = m_record[m_layout.features];
    if (label >= m_layout.classes) {
        config_error("DMA data file: " + where() + ": label " + std::to_string(label)
                     + " outside the " + std::to_string(m_layout.classes) + " classes");
    }
    record_words(m_layout, m_record.data(), m_words);
    if (m_flip.on && m_flip.step == m_step && m_flip.sample == m_sample) {
        m_words[m_flip.word] ^= 1u << m_flip.bit;
    }
    const uint32_t driven_label = m_words.back();
    m_words.pop_back();
    drive(m_words, driven_label);
}

void SampleDmaBase::read(uint64_t addr, uint8_t* data, unsigned int len) {
    tlm::tlm_generic_payload trans;
    sc_core::sc_time delay = sc_core::SC_ZERO_TIME;
    trans.set_read();
    trans.set_address(addr);
    trans.set_data_ptr(data);
    trans.set_data_length(len);
    trans.set_streaming_width(len);
    trans.set_byte_enable_ptr(nullptr);
    trans.set_dmi_allowed(false);
    trans.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    socket->b_transport(trans, delay);
    if (trans.is_response_error()) {
        config_error("DMA read of " + std::to_string(len) + " bytes at " + std::to_string(addr)
                     + ": " + trans.get_response_string());
    }
}

}  // namespace pezo_sc
