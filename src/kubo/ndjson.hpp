// Splits a byte stream into lines (NDJSON: one JSON value per "\n"-terminated line), for Kubo's
// streamed outputs (A3: X-Chunked-Output). Private to the kubo layer for now; it depends on
// nothing but base, so it can move down when another layer needs it.
//
// Lines are bounded (max_line bytes) so that a broken or hostile server cannot grow a line
// without limit; a longer line is an errc::invalid_input error. A "\r" before the "\n" is
// dropped. Empty lines are delivered too (callers skip them), so a caller that checks a
// deadline per line also sees a stream of blank lines.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "cf/base/result.hpp"

namespace cf::kubo::detail {

class LineSplitter {
 public:
  using LineHandler = std::function<Status(std::string_view line)>;

  static constexpr std::size_t default_max_line = 1024 * 1024;

  explicit LineSplitter(std::size_t max_line = default_max_line) : max_line_(max_line) {}

  // Delivers every line completed by `bytes`; stops at the first error (from the handler or
  // an over-long line) and returns it. After an error the splitter must not be fed again.
  Status feed(std::string_view bytes, const LineHandler& on_line);

  // End of stream: delivers a last line that had no "\n", if any.
  Status finish(const LineHandler& on_line);

 private:
  Status deliver(std::string_view line, const LineHandler& on_line);
  Status too_long() const;

  std::size_t max_line_;
  std::string partial_;  // bytes of an unfinished line
};

}  // namespace cf::kubo::detail
