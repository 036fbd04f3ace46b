// pezo_sc: the plain C++ Verilator loop of the training engine: no SystemC, no cocotb, no
// Python. The performance anchor of `make bench` (regress/train_bench.py): the native
// SystemC harness's host program (host_program.h) and sample stream (sample_feed.h), clocked
// by hand. Per clock: one evaluation settles what the host and the feed set since the last
// edge (the outputs the host reads are taken then, before the edge, as SystemC gives them),
// one at the rising edge, one at the falling edge. It writes the same step trace.
//
//   <exe> PROGRAM TRACE DATA   (the host program, the step trace to write, the DMA data file)
// The design's shape comes from the build: -DPEZO_N_IN, -DPEZO_N_OUT, -DPEZO_MAX_BATCH.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "Vtop.h"
#include "config_error.h"
#include "host_program.h"
#include "sample_feed.h"
#include "step_recorder.h"
#include "verilated.h"

namespace {

using pezo_sc::config_error;

// The data file's bytes, read at construction.
class FileMemory final : public pezo_sc::SampleMemory {
public:
    explicit FileMemory(const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        if (!in) config_error("train loop: cannot read " + path);
        m_bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    bool readable(uint64_t addr) override { return addr < m_bytes.size(); }
    void read(uint64_t addr, uint8_t* data, unsigned int len) override {
        if (addr + len > m_bytes.size()) config_error("train loop: read past the data file");
        std::copy_n(m_bytes.begin() + static_cast<std::ptrdiff_t>(addr), len, data);
    }

private:
    std::vector<uint8_t> m_bytes;
};

// A port of Verilator's C++ types from 32-bit words, least significant first.
template <typename T>
void set_port(T& port, const std::vector<uint32_t>& words) {
    port = static_cast<T>(words[0]);
}
inline void set_port(QData& port, const std::vector<uint32_t>& words) {
    port = words[0] | (words.size() > 1 ? static_cast<QData>(words[1]) << 32 : 0);
}
template <std::size_t N>
void set_port(VlWide<N>& port, const std::vector<uint32_t>& words) {
    for (std::size_t i = 0; i < N; ++i) port[i] = i < words.size() ? words[i] : 0u;
}

class LoopBus final : public pezo_sc::HostBus {
public:
    LoopBus(Vtop& top, pezo_sc::SampleFeed& feed) : m_top(top), m_feed(feed) {}

    void edge() override {
        m_top.eval();
        const bool reset_n = m_top.rst_ni, ready = m_top.s_ready_o;
        m_rdata = m_top.reg_rdata_o;
        m_busy = m_top.busy_o;
        m_step_done = m_top.step_done_o;
        m_top.clk_i = 1;
        m_top.eval();
        if (m_feed.on_rising_edge(reset_n, ready)) {
            set_port(m_top.s_pixels_i, m_feed.pixel_words());
            m_top.s_label_i = m_feed.label();
        }
        m_top.s_valid_i = m_feed.valid();
        m_top.clk_i = 0;
        m_top.eval();
        ++m_clocks;
    }
    void set_reset(bool asserted) override { m_top.rst_ni = !asserted; }
    void set_addr(uint32_t addr) override { m_top.reg_addr_i = addr; }
    void set_wdata(uint32_t data) override { m_top.reg_wdata_i = data; }
    void set_we(bool on) override { m_top.reg_we_i = on; }
    void set_re(bool on) override { m_top.reg_re_i = on; }
    uint32_t rdata() override { return m_rdata; }
    bool busy() override { return m_busy; }
    bool step_done() override { return m_step_done; }
    uint64_t clocks() const { return m_clocks; }

private:
    Vtop& m_top;
    pezo_sc::SampleFeed& m_feed;
    uint32_t m_rdata = 0;
    bool m_busy = false, m_step_done = false;
    uint64_t m_clocks = 0;
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 4 || argv[1][0] == '+' || argv[2][0] == '+' || argv[3][0] == '+') {
        config_error(std::string("usage: ") + argv[0] + " PROGRAM TRACE DATA");
    }
    VerilatedContext context;
    context.commandArgs(argc, argv);
    Vtop top{&context};
    top.clk_i = 0;
    top.rst_ni = 0;  // as the SystemC signals start: in reset, every input low
    top.reg_addr_i = top.reg_wdata_i = top.reg_we_i = top.reg_re_i = 0;
    top.s_valid_i = top.s_label_i = 0;
    set_port(top.s_pixels_i, {0u});
    const pezo_sc::HostProgram program(argv[1]);
    pezo_sc::StepRecorder recorder(argv[2]);
    FileMemory memory(argv[3]);
    pezo_sc::SampleFeed feed({PEZO_N_IN, PEZO_N_OUT, PEZO_MAX_BATCH}, memory,
                             pezo_sc::parse_flip(pezo_sc::env_or("PEZO_DMA_FLIP", "")));
    LoopBus bus(top, feed);
    program.run(bus, recorder);
    top.final();
    std::printf("pezo_loop: %llu clocks\n", static_cast<unsigned long long>(bus.clocks()));
    return 0;
}
