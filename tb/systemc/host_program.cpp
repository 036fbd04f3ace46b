// pezo_sc: the host program's parser and interpreter (host_program.h).
#include "host_program.h"

#include <fstream>
#include <map>
#include <sstream>

#include "config_error.h"

namespace pezo_sc {

namespace {

// How many numbers each op takes (write_block: at least 2, then its count more).
const std::map<std::string, size_t> kArity = {
    {"reset", 1}, {"write", 2}, {"write_block", 2}, {"wait_clear", 2},
    {"results", StepRecorder::kResultCount}, {"run", 3}, {"readback", 3}};

std::vector<std::string> read_lines(const std::string& path) {
    std::ifstream in(path);
    if (!in) config_error("host program: cannot read " + path);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// The bus accesses of the program, on one bus with one recorder.
class Interpreter {
public:
    Interpreter(HostBus& bus, StepRecorder& recorder) : m_bus(bus), m_recorder(recorder) {}

    void execute(const std::string& op, const std::vector<uint64_t>& a) {
        if (op == "reset") {
            m_bus.set_reset(true);
            for (uint64_t i = 0; i < a[0]; ++i) m_bus.edge();
            m_bus.set_reset(false);
        } else if (op == "write") {
            write(static_cast<uint32_t>(a[0]), static_cast<uint32_t>(a[1]));
        } else if (op == "write_block") {
            write_block(static_cast<uint32_t>(a[0]), a);
        } else if (op == "wait_clear") {
            while (read(static_cast<uint32_t>(a[0])) & a[1]) {
                for (int i = 0; i < 64; ++i) m_bus.edge();
            }
        } else if (op == "results") {
            m_results.assign(a.begin(), a.end());
        } else if (op == "run") {
            run_steps(static_cast<uint32_t>(a[0]), static_cast<uint32_t>(a[1]), a[2]);
        } else if (op == "readback") {
            write(static_cast<uint32_t>(a[0]), 0);
            m_recorder.weights(read_block(static_cast<uint32_t>(a[1]), a[2]));
        }
    }

private:
    // A write takes two clocks as the bench's: what it starts (a pool fill's SETUP_BUSY)
    // shows by the next access.
    void write(uint32_t addr, uint32_t data) {
        m_bus.set_addr(addr);
        m_bus.set_wdata(data);
        m_bus.set_we(true);
        m_bus.edge();
        m_bus.set_we(false);
        m_bus.edge();
    }

    uint32_t read(uint32_t addr) {
        m_bus.set_addr(addr);
        m_bus.set_re(true);
        m_bus.edge();  // the engine takes the read here
        m_bus.set_re(false);
        m_bus.edge();  // reg_rdata_o holds it now
        return m_bus.rdata();
    }

    void write_block(uint32_t addr, const std::vector<uint64_t>& args) {
        m_bus.set_addr(addr);
        m_bus.set_we(true);
        for (size_t i = 2; i < args.size(); ++i) {
            m_bus.set_wdata(static_cast<uint32_t>(args[i]));
            m_bus.edge();
        }
        m_bus.set_we(false);
    }

    std::vector<uint32_t> read_block(uint32_t addr, uint64_t count) {
        std::vector<uint32_t> out;
        m_bus.set_addr(addr);
        m_bus.set_re(true);
        m_bus.edge();
        for (uint64_t i = 0; i < count; ++i) {
            if (i + 1 == count) m_bus.set_re(false);
            m_bus.edge();
            out.push_back(m_bus.rdata());
        }
        return out;
    }

    void run_steps(uint32_t addr, uint32_t data, uint64_t steps) {
        if (m_results.size() != StepRecorder::kResultCount) {
            config_error("host program: 'run' before 'results'");
        }
        write(addr, data);
        std::vector<uint32_t> values(m_results.size());
        for (uint64_t s = 0; s < steps; ++s) {
            m_bus.until_step_done();
            for (size_t r = 0; r < m_results.size(); ++r) values[r] = read(m_results[r]);
            m_recorder.step(values);
        }
        while (m_bus.busy()) m_bus.edge();
    }

    HostBus& m_bus;
    StepRecorder& m_recorder;
    std::vector<uint32_t> m_results;  // addresses, in StepRecorder::kResults order
};

}  // namespace

HostProgram::HostProgram(const std::string& path) {
    const std::vector<std::string> lines = read_lines(path);
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
            config_error("host program " + path + ":" + std::to_string(i + 1) + ": '"
                         + lines[i] + "' is not an op of host_program.h");
        }
        m_program.push_back(line);
    }
}

void HostProgram::run(HostBus& bus, StepRecorder& recorder) const {
    Interpreter interpreter(bus, recorder);
    for (const Line& line : m_program) interpreter.execute(line.op, line.args);
}

}  // namespace pezo_sc
