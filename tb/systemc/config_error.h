// pezo_sc: how the C++ models report a bad input of a run (a data file, a program, a
// setting): one line on stderr and exit status 2, the project's convention for errors a
// person must fix. Plain C++: the SystemC models and the plain Verilator loop share it.
#ifndef PEZO_SC_CONFIG_ERROR_H_
#define PEZO_SC_CONFIG_ERROR_H_

#include <string>

namespace pezo_sc {

[[noreturn]] void config_error(const std::string& message);
// An environment variable, or `fallback` when it is unset or empty.
std::string env_or(const char* name, const std::string& fallback);

}  // namespace pezo_sc

#endif  // PEZO_SC_CONFIG_ERROR_H_
