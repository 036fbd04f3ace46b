// pezo_sc: config_error and env_or (config_error.h).
#include "config_error.h"

#include <cstdio>
#include <cstdlib>

namespace pezo_sc {

void config_error(const std::string& message) {
    std::fflush(stdout);
    std::fprintf(stderr, "pezo_sc: error: %s\n", message.c_str());
    std::fflush(stderr);
    std::_Exit(2);  // no exit handlers: cocotb's would report a crash on top of the line
}

std::string env_or(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value && *value ? std::string(value) : fallback;
}

}  // namespace pezo_sc
