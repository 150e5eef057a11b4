// The only main(): wiring only.
#include "cf/cli/app.hpp"

int main(int argc, char** argv) { return cf::cli::run_cli(argc, argv); }
