// pezo_sc: the DMA initiator that streams each step's batch from a TlmMemory into the
// training engine's sample port (s_valid_i/s_ready_o/s_pixels_i/s_label_i), in the order
// of the data file's indices (data_layout.h): the order the reference draws each batch.
//
// Synchronous to clk_i's rising edge: a beat moves at an edge where s_valid_i and
// s_ready_o are both high; the next sample is presented at that same edge, so the engine
// can take one a clock. A reset drops the beat in flight and the step's partial batch.
// The header is read and checked against the design at the first edge out of reset.
//
// PEZO_DMA_FLIP="step,sample,word,bit" flips one bit of one beat as it is driven: the
// checks (SampleMonitor, the test) must name that step, sample and word.
#ifndef PEZO_SC_DMA_H_
#define PEZO_SC_DMA_H_

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <string>
#include <vector>

#include "cosim.h"
#include "data_layout.h"

namespace pezo_sc {

// The one bit PEZO_DMA_FLIP names.
struct WordFlip {
    bool on = false;
    uint32_t step = 0, sample = 0, word = 0, bit = 0;
};
WordFlip parse_flip(const std::string& text);

// The DMA without its two typed data ports: position, TLM reads, handshake.
class SampleDmaBase : public sc_core::sc_module {
public:
    tlm_utils::simple_initiator_socket<SampleDmaBase> socket;
    sc_core::sc_in<bool> clk_i;
    sc_core::sc_in<bool> rst_ni;
    sc_core::sc_in<bool> s_ready_o;
    sc_core::sc_out<bool> s_valid_i;

    SampleDmaBase(sc_core::sc_module_name name, const DesignShape& design);
    uint64_t beats_sent() const { return m_beats; }

protected:
    // Put one beat on the data ports: the pixel words and the label (data_layout.h).
    virtual void drive(const std::vector<uint32_t>& pixels, uint32_t label) = 0;

private:
    void on_rising_edge();
    void start();
    void present();
    std::string where() const;  // the beat presented, for a message
    void read(uint64_t addr, uint8_t* data, unsigned int len);
    bool readable(uint64_t addr);

    DesignShape m_design;
    WordFlip m_flip;
    DataLayout m_layout;
    bool m_started = false;
    bool m_valid = false;  // a beat is on the port
    uint32_t m_step = 0, m_sample = 0;  // the beat presented (or next to present)
    uint64_t m_beats = 0;
    std::vector<uint8_t> m_record;
    std::vector<uint32_t> m_words;
};

// The DMA on a design whose sample ports have the SystemC types Pixels and Label.
template <typename Pixels, typename Label>
class SampleDma final : public SampleDmaBase {
public:
    sc_core::sc_out<Pixels> s_pixels_i;
    sc_core::sc_out<Label> s_label_i;

    SampleDma(sc_core::sc_module_name name, const DesignShape& design)
        : SampleDmaBase(name, design), s_pixels_i("s_pixels_i"), s_label_i("s_label_i") {}

private:
    void drive(const std::vector<uint32_t>& pixels, uint32_t label) override {
        Pixels p{};
        from_words(pixels, p);
        s_pixels_i.write(p);
        Label l{};
        from_words(std::vector<uint32_t>{label}, l);
        s_label_i.write(l);
    }
};

}  // namespace pezo_sc

#endif  // PEZO_SC_DMA_H_
