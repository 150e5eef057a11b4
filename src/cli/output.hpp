// Small helpers shared by the commands' output. Layer-private.
#pragma once

#include <cstdint>
#include <iostream>
#include <string>

#include "cf/base/result.hpp"

namespace cf::cli {

bool stdout_is_terminal();
bool stderr_is_terminal();

// "error: <message>" on stderr, one line per line of the message; returns exit code 1.
int print_error(const Error& error);

// Upstream's text for a folder that `init` has not made.
void print_not_initialized(const std::string& name);

}  // namespace cf::cli
