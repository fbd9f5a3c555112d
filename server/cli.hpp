// The command line: serve, migrate, user add.
#pragma once

#include <string>
#include <vector>

namespace ensemble::server {

// Runs the command in `args` (without the program name); returns the process exit code.
int run_cli(const std::vector<std::string>& args);

}  // namespace ensemble::server
