// pezo_sc: the sample DMA's logic without a clock of its own: where it is in the data file's
// draw order (data_layout.h), the header check against the design, the beat it presents.
// Plain C++ over a SampleMemory, so the SystemC SampleDma (dma.h, TLM reads) and the plain
// Verilator loop (train_loop.cpp, the file's bytes) stream the same beats the same way.
//
// A beat moves at a rising edge where valid and s_ready_o are both high; the next sample is
// presented at that same edge, so the engine can take one a clock. A reset drops the beat
// in flight and the step's partial batch. The header is read and checked at the first edge
// out of reset.
//
// PEZO_DMA_FLIP="step,sample,word,bit" flips one bit of one beat as it is presented: the
// checks (SampleMonitor, the test) must name that step, sample and word.
#ifndef PEZO_SC_SAMPLE_FEED_H_
#define PEZO_SC_SAMPLE_FEED_H_

#include <cstdint>
#include <string>
#include <vector>

#include "data_layout.h"

namespace pezo_sc {

// The one bit PEZO_DMA_FLIP names.
struct WordFlip {
    bool on = false;
    uint32_t step = 0, sample = 0, word = 0, bit = 0;
};
WordFlip parse_flip(const std::string& text);

// Where the data file's bytes are read from.
class SampleMemory {
public:
    virtual ~SampleMemory() = default;
    virtual bool readable(uint64_t addr) = 0;  // a byte at addr, no side effect
    virtual void read(uint64_t addr, uint8_t* data, unsigned int len) = 0;
};

class SampleFeed {
public:
    SampleFeed(const DesignShape& design, SampleMemory& memory, const WordFlip& flip);
    // One rising edge, given rst_ni's and s_ready_o's values before it. True when a new beat
    // was presented (pixel_words() and label() hold it).
    bool on_rising_edge(bool reset_n, bool ready);
    bool valid() const { return m_valid; }
    // Whether a rising edge with these values could change anything: false while a beat
    // waits for s_ready_o or the stream has ended, so a clocked caller may sleep.
    bool edge_matters(bool reset_n, bool ready) const {
        return !reset_n || !m_started || (m_valid ? ready : m_step < m_layout.steps);
    }
    const std::vector<uint32_t>& pixel_words() const { return m_words; }
    uint32_t label() const { return m_label; }
    uint64_t beats_sent() const { return m_beats; }

private:
    void start();
    void present();
    std::string where() const;  // the beat presented, for a message

    DesignShape m_design;
    SampleMemory& m_memory;
    WordFlip m_flip;
    DataLayout m_layout;
    bool m_started = false;
    bool m_valid = false;  // a beat is presented
    uint32_t m_step = 0, m_sample = 0;  // the beat presented (or next to present)
    uint64_t m_beats = 0;
    std::vector<uint8_t> m_record;
    std::vector<uint32_t> m_words;
    uint32_t m_label = 0;
};

}  // namespace pezo_sc

#endif  // PEZO_SC_SAMPLE_FEED_H_
