// pezo_sc: the sample DMA's logic (sample_feed.h).
#include "sample_feed.h"

#include <cstdio>

#include "config_error.h"

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

SampleFeed::SampleFeed(const DesignShape& design, SampleMemory& memory, const WordFlip& flip)
    : m_design(design), m_memory(memory), m_flip(flip) {}

bool SampleFeed::on_rising_edge(bool reset_n, bool ready) {
    if (!reset_n) {
        m_valid = false;
        m_sample = 0;
        return false;
    }
    if (!m_started) start();
    if (m_valid && ready) {  // the engine took the beat at this edge
        m_valid = false;
        ++m_beats;
        if (++m_sample == m_layout.batch) {
            m_sample = 0;
            ++m_step;
        }
    }
    if (m_valid || m_step >= m_layout.steps) return false;
    present();
    m_valid = true;
    return true;
}

void SampleFeed::start() {
    uint8_t header[DataLayout::kHeaderBytes];
    if (!m_memory.readable(0) || !m_memory.readable(sizeof header - 1)) {
        config_error("DMA data file: shorter than its header");
    }
    m_memory.read(0, header, sizeof header);
    std::string problem = parse_layout(header, m_layout);
    if (problem.empty()) problem = check_layout(m_layout, m_design);  // the design first:
    const uint64_t end = m_layout.total_bytes();  // a misfit also changes the size
    if (problem.empty() && (!m_memory.readable(end - 1) || m_memory.readable(end))) {
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

std::string SampleFeed::where() const {
    return "step " + std::to_string(m_step) + " sample " + std::to_string(m_sample);
}

// Fetch sample m_sample of step m_step (its index, then its record).
void SampleFeed::present() {
    uint8_t index_bytes[4];
    m_memory.read(m_layout.index_addr(m_step, m_sample), index_bytes, 4);
    const uint32_t n = le32(index_bytes);
    if (n >= m_layout.samples) {
        config_error("DMA data file: " + where() + ": index " + std::to_string(n)
                     + " outside the " + std::to_string(m_layout.samples) + " samples");
    }
    m_memory.read(m_layout.record_addr(n), m_record.data(),
                  static_cast<unsigned int>(m_record.size()));
    const uint32_t label = m_record[m_layout.features];
    if (label >= m_layout.classes) {
        config_error("DMA data file: " + where() + ": label " + std::to_string(label)
                     + " outside the " + std::to_string(m_layout.classes) + " classes");
    }
    record_words(m_layout, m_record.data(), m_words);
    if (m_flip.on && m_flip.step == m_step && m_flip.sample == m_sample) {
        m_words[m_flip.word] ^= 1u << m_flip.bit;
    }
    m_label = m_words.back();
    m_words.pop_back();
}

}  // namespace pezo_sc
