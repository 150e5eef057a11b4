#include "output.hpp"

#include <unistd.h>

#include <sstream>

#include "cf/base/printable.hpp"

namespace cf::cli {

bool stdout_is_terminal() { return ::isatty(STDOUT_FILENO) == 1; }
bool stderr_is_terminal() { return ::isatty(STDERR_FILENO) == 1; }

std::string shown(std::string_view text) { return printable(text, text.size()); }

int print_error(const Error& error) {
  std::istringstream lines(error.message());
  for (std::string line; std::getline(lines, line);) std::cerr << "error: " << shown(line) << "\n";
  return 1;
}

void print_not_initialized(const std::string& name) {
  std::cerr << "\nThis cluster peer has not been initialized.\n\nTry running \"cluster-follow " << name
            << " init <config-url>\" first.\n";
}

}  // namespace cf::cli
