// Small helpers shared by the commands' output. Layer-private.
#pragma once

#include <cstdint>
#include <iostream>
#include <string>
#include <string_view>

#include "cf/base/result.hpp"

namespace cf::cli {

bool stdout_is_terminal();
bool stderr_is_terminal();

// Text from outside (pin names, metadata, Kubo's and peers' answers, errors quoting them) as
// it may go to a terminal: control characters and invalid UTF-8 escaped (cf::printable), never
// cut. JSON output needs none of this: the JSON writer escapes control characters itself.
std::string shown(std::string_view text);

// "error: <message>" on stderr, one line per line of the message, each line shown(); returns
// exit code 1.
int print_error(const Error& error);

// Upstream's text for a folder that `init` has not made.
void print_not_initialized(const std::string& name);

}  // namespace cf::cli
