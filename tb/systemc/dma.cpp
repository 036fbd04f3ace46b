// pezo_sc: the sample DMA (dma.h).
#include "dma.h"

namespace pezo_sc {

SampleDmaBase::SampleDmaBase(sc_core::sc_module_name name, const DesignShape& design)
    : sc_core::sc_module(name), socket("socket"), clk_i("clk_i"), rst_ni("rst_ni"),
      s_ready_o("s_ready_o"), s_valid_i("s_valid_i"),
      m_feed(design, *this, parse_flip(env_or("PEZO_DMA_FLIP", ""))) {
    SC_HAS_PROCESS(SampleDmaBase);
    SC_METHOD(on_wake);  // a method, not a thread: no context switch every clock
    sensitive << clk_i.pos();
    dont_initialize();
}

// At a rising edge the feed steps; then the DMA sleeps through the edges that change
// nothing until s_ready_o or rst_ni moves: most clocks of a step run no DMA process.
void SampleDmaBase::on_wake() {
    if (clk_i.posedge()) {
        if (m_feed.on_rising_edge(rst_ni.read(), s_ready_o.read())) {
            drive(m_feed.pixel_words(), m_feed.label());
        }
        s_valid_i.write(m_feed.valid());
    }
    if (m_feed.edge_matters(rst_ni.read(), s_ready_o.read())) {
        next_trigger(clk_i.posedge_event());
    } else {
        next_trigger(s_ready_o.value_changed_event() | rst_ni.value_changed_event());
    }
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
