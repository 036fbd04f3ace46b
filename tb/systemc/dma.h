// pezo_sc: the DMA initiator that streams each step's batch from a TlmMemory into the
// training engine's sample port (s_valid_i/s_ready_o/s_pixels_i/s_label_i), in the order
// of the data file's indices: the order the reference draws each batch. The stream's logic
// (handshake, reset, header check, PEZO_DMA_FLIP) is the SampleFeed's (sample_feed.h); this
// module runs it at every rising edge of clk_i and reads the memory through its TLM-2.0
// initiator socket.
#ifndef PEZO_SC_DMA_H_
#define PEZO_SC_DMA_H_

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>

#include <cstdint>
#include <vector>

#include "cosim.h"
#include "sample_feed.h"

namespace pezo_sc {

// The DMA without its two typed data ports: the feed, TLM reads, the handshake.
class SampleDmaBase : public sc_core::sc_module, private SampleMemory {
public:
    tlm_utils::simple_initiator_socket<SampleDmaBase> socket;
    sc_core::sc_in<bool> clk_i;
    sc_core::sc_in<bool> rst_ni;
    sc_core::sc_in<bool> s_ready_o;
    sc_core::sc_out<bool> s_valid_i;

    SampleDmaBase(sc_core::sc_module_name name, const DesignShape& design);
    uint64_t beats_sent() const { return m_feed.beats_sent(); }

protected:
    // Put one beat on the data ports: the pixel words and the label (data_layout.h).
    virtual void drive(const std::vector<uint32_t>& pixels, uint32_t label) = 0;

private:
    void on_wake();
    // SampleMemory over the socket: b_transport reads, debug-transport probes.
    bool readable(uint64_t addr) override;
    void read(uint64_t addr, uint8_t* data, unsigned int len) override;

    SampleFeed m_feed;
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
