// pezo_sc: the native harness's register-bus host (reg_host.h).
#include "reg_host.h"

#include <fstream>
#include <map>
#include <sstream>

#include "cosim.h"

namespace pezo_sc {

// How many numbers each op takes (write_block: at least 2, then its count more).
static const std::map<std::string, size_t> kArity = {
    {"reset", 1}, {"write", 2}, {"write_block", 2}, {"wait_clear", 2},
    {"results", StepRecorder::kResultCount}, {"run", 3}, {"readback", 3}};

static std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream in(path);
    if (!in) config_error("host program: cannot read " + path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

RegisterHost::RegisterHost(sc_core::sc_module_name name, const std::string& program,
                           StepRecorder& recorder)
    : sc_core::sc_module(name), clk_i("clk_i"), rst_ni("rst_ni"), reg_addr_i("reg_addr_i"),
      reg_wdata_i("reg_wdata_i"), reg_we_i("reg_we_i"), reg_re_i("reg_re_i"),
      reg_rdata_o("reg_rdata_o"), busy_o("busy_o"), step_done_o("step_done_o"),
      m_recorder(recorder) {
    const std::vector<std::string> lines = read_lines(program);
    for (size_t i = 0; i < lines.size(); ++i) {
        std::istringstream words(lines[i]);
        Line line;
        if (!(words >> line.op)) continue;
        for (uint64_t n; words >> n;) line.args.push_back(n);
        const auto arity = kArity.find(line.op);
        const bool block_ok = line.op != "write_block"
                              || (line.args.size() >= 2 && line.args.size() == 2 + line.args[1]);
        if (arity == kArity.end() || !words.eof() || line.args.size() < arity->second
            || (line.op != "write_block" && line.args.size() != arity->second) || !block_ok) {
            config_error("host program " + program + ":" + std::to_string(i + 1) + ": '"
                         + lines[i] + "' is not an op of reg_host.h");
        }
        m_program.push_back(line);
    }
    SC_HAS_PROCESS(RegisterHost);
    SC_THREAD(run);
    sensitive << clk_i.pos();
    dont_initialize();
}

void RegisterHost::run() {
    for (const Line& line : m_program) execute(line);
    sc_core::sc_stop();
}

void RegisterHost::execute(const Line& line) {
    const Op& a = line.args;
    if (line.op == "reset") {
        rst_ni.write(false);
        for (uint64_t i = 0; i < a[0]; ++i) edge();
        rst_ni.write(true);
    } else if (line.op == "write") {
        write(static_cast<uint32_t>(a[0]), static_cast<uint32_t>(a[1]));
    } else if (line.op == "write_block") {
        write_block(static_cast<uint32_t>(a[0]), a);
    } else if (line.op == "wait_clear") {
        while (read(static_cast<uint32_t>(a[0])) & a[1]) {
            for (int i = 0; i < 64; ++i) edge();
        }
    } else if (line.op == "results") {
        m_results.assign(a.begin(), a.end());
    } else if (line.op == "run") {
        run_steps(static_cast<uint32_t>(a[0]), static_cast<uint32_t>(a[1]), a[2]);
    } else if (line.op == "readback") {
        write(static_cast<uint32_t>(a[0]), 0);
        m_recorder.weights(read_block(static_cast<uint32_t>(a[1]), a[2]));
    }
}

// Signals written at a rising edge are seen by the engine at the next one. A write takes
// two clocks as the bench's: what it starts (a pool fill's SETUP_BUSY) shows by the next
// access.
void RegisterHost::write(uint32_t addr, uint32_t data) {
    reg_addr_i.write(addr);
    reg_wdata_i.write(data);
    reg_we_i.write(true);
    edge();
    reg_we_i.write(false);
    edge();
}

uint32_t RegisterHost::read(uint32_t addr) {
    reg_addr_i.write(addr);
    reg_re_i.write(true);
    edge();  // the engine takes the read here
    reg_re_i.write(false);
    edge();  // reg_rdata_o holds it now
    return reg_rdata_o.read();
}

void RegisterHost::write_block(uint32_t addr, const Op& args) {
    reg_addr_i.write(addr);
    reg_we_i.write(true);
    for (size_t i = 2; i < args.size(); ++i) {
        reg_wdata_i.write(static_cast<uint32_t>(args[i]));
        edge();
    }
    reg_we_i.write(false);
}

std::vector<uint32_t> RegisterHost::read_block(uint32_t addr, uint64_t count) {
    std::vector<uint32_t> out;
    reg_addr_i.write(addr);
    reg_re_i.write(true);
    edge();
    for (uint64_t i = 0; i < count; ++i) {
        if (i + 1 == count) reg_re_i.write(false);
        edge();
        out.push_back(reg_rdata_o.read());
    }
    return out;
}

void RegisterHost::run_steps(uint32_t addr, uint32_t data, uint64_t steps) {
    if (m_results.size() != StepRecorder::kResultCount) {
        config_error("host program: 'run' before 'results'");
    }
    write(addr, data);
    std::vector<uint32_t> values(m_results.size());
    for (uint64_t s = 0; s < steps; ++s) {
        do edge(); while (!step_done_o.read());
        for (size_t r = 0; r < m_results.size(); ++r) values[r] = read(m_results[r]);
        m_recorder.step(values);
    }
    while (busy_o.read()) edge();
}

}  // namespace pezo_sc
