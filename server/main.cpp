// The ensemble executable.
#include "server/cli.hpp"

int main(int argc, char** argv) { return ensemble::server::run_cli(std::vector<std::string>(argv + 1, argv + argc)); }
