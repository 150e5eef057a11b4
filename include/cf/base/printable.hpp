// Remote text made safe for a terminal or a log line: a cluster, a peer or a server can send
// any bytes in a pin name, an agent version or an error body, and escape sequences in them
// could rewrite an operator's screen or fake log lines.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace cf {

// `text` with control characters (C0, DEL, and C1 encoded in UTF-8) written as \n, \t, \r or
// \xNN, a backslash doubled, bytes that are not valid UTF-8 written as \xNN, and everything
// after `max_bytes` of input replaced by "...". Valid printable UTF-8 passes unchanged.
std::string printable(std::string_view text, std::size_t max_bytes = 256);

}  // namespace cf
