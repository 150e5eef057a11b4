#include "ndjson.hpp"

#include "cf/base/errc.hpp"

namespace cf::kubo::detail {

Status LineSplitter::feed(std::string_view bytes, const LineHandler& on_line) {
  while (!bytes.empty()) {
    auto newline = bytes.find('\n');
    if (newline == std::string_view::npos) {
      if (partial_.size() + bytes.size() > max_line_) return too_long();
      partial_.append(bytes);
      return ok();
    }
    auto piece = bytes.substr(0, newline);
    bytes.remove_prefix(newline + 1);
    if (partial_.empty()) {
      CF_TRY(deliver(piece, on_line));  // the common case: no copy
      continue;
    }
    if (partial_.size() + piece.size() > max_line_) return too_long();
    partial_.append(piece);
    std::string line = std::move(partial_);
    partial_.clear();
    CF_TRY(deliver(line, on_line));
  }
  return ok();
}

Status LineSplitter::finish(const LineHandler& on_line) {
  if (partial_.empty()) return ok();
  std::string line = std::move(partial_);
  partial_.clear();
  return deliver(line, on_line);
}

Status LineSplitter::deliver(std::string_view line, const LineHandler& on_line) {
  if (line.size() > max_line_) return too_long();
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return on_line(line);
}

Status LineSplitter::too_long() const {
  return Error(cf::errc::invalid_input,
               "a line is longer than " + std::to_string(max_line_) + " bytes");
}

}  // namespace cf::kubo::detail
