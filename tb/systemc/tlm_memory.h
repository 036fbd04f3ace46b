// pezo_sc: a TLM-2.0 memory (loosely timed target, zero latency) holding one file's bytes
// from address 0: the system memory the SampleDma reads the data set from.
#ifndef PEZO_SC_TLM_MEMORY_H_
#define PEZO_SC_TLM_MEMORY_H_

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_target_socket.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pezo_sc {

class TlmMemory : public sc_core::sc_module {
public:
    tlm_utils::simple_target_socket<TlmMemory> socket;

    // The file is read on the first access, not at elaboration: the test writes it when it
    // starts, after the SystemC top is built.
    TlmMemory(sc_core::sc_module_name name, std::string path);

    const std::string& path() const { return m_path; }
    uint64_t size();
    // Backdoor for checkers (no transaction, no time): `len` bytes at `addr`, or nullptr
    // when they are not all inside the memory.
    const uint8_t* peek(uint64_t addr, uint64_t len);

private:
    void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);
    unsigned int transport_dbg(tlm::tlm_generic_payload& trans);
    // Read or write the payload's bytes; its response status says whether it could.
    unsigned int access(tlm::tlm_generic_payload& trans);
    void load();

    std::string m_path;
    bool m_loaded = false;
    std::vector<uint8_t> m_bytes;
};

}  // namespace pezo_sc

#endif  // PEZO_SC_TLM_MEMORY_H_
