// pezo_sc: the file-backed TLM-2.0 memory (tlm_memory.h).
#include "tlm_memory.h"

#include <cstring>
#include <fstream>
#include <iterator>

#include "cosim.h"

namespace pezo_sc {

TlmMemory::TlmMemory(sc_core::sc_module_name name, std::string path)
    : sc_core::sc_module(name), socket("socket"), m_path(std::move(path)) {
    socket.register_b_transport(this, &TlmMemory::b_transport);
    socket.register_transport_dbg(this, &TlmMemory::transport_dbg);
}

void TlmMemory::load() {
    if (m_loaded) return;
    std::ifstream in(m_path, std::ios::binary);
    if (!in) config_error("memory " + std::string(name()) + ": cannot read " + m_path);
    m_bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    m_loaded = true;
}

uint64_t TlmMemory::size() {
    load();
    return m_bytes.size();
}

const uint8_t* TlmMemory::peek(uint64_t addr, uint64_t len) {
    load();
    if (addr > m_bytes.size() || len > m_bytes.size() - addr) return nullptr;
    return m_bytes.data() + addr;
}

unsigned int TlmMemory::access(tlm::tlm_generic_payload& trans) {
    load();
    const uint64_t addr = trans.get_address();
    const unsigned int len = trans.get_data_length();
    if (trans.get_byte_enable_ptr() || trans.get_streaming_width() < len) {
        trans.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        return 0;
    }
    if (addr > m_bytes.size() || len > m_bytes.size() - addr) {
        trans.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        return 0;
    }
    if (trans.is_read()) std::memcpy(trans.get_data_ptr(), &m_bytes[addr], len);
    if (trans.is_write()) std::memcpy(&m_bytes[addr], trans.get_data_ptr(), len);
    trans.set_response_status(tlm::TLM_OK_RESPONSE);
    return len;
}

void TlmMemory::b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time&) {
    access(trans);  // zero latency: the delay stays as the initiator annotated it
}

unsigned int TlmMemory::transport_dbg(tlm::tlm_generic_payload& trans) { return access(trans); }

}  // namespace pezo_sc
