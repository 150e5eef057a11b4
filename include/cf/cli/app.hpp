// The cluster-follow command line: parses argv, runs the command, returns the exit code.
#pragma once

namespace cf::cli {

int run_cli(int argc, char** argv);

}  // namespace cf::cli
