#include "cf/follower/progress.hpp"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

#include "cf/base/log.hpp"
#include "cf/base/time_text.hpp"

namespace cf::follower {

std::string bytes_text(std::int64_t bytes) {
  if (bytes < 1024) return fmt::format("{} B", bytes);
  static constexpr const char* units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes) / 1024;
  std::size_t unit = 0;
  while (value >= 1024 && unit + 1 < std::size(units)) {
    value /= 1024;
    ++unit;
  }
  return fmt::format("{:.1f} {}", value, units[unit]);
}

std::string progress_text(const ProgressSnapshot& s, std::optional<double> pins_per_second,
                          std::optional<std::chrono::seconds> eta) {
  std::string text = fmt::format("pins {}/{}", s.pins_done, s.pins_total);
  if (s.pins_total > 0) {
    text += fmt::format(" ({:.1f}%)", 100.0 * static_cast<double>(s.pins_done) / static_cast<double>(s.pins_total));
  }
  if (pins_per_second) text += fmt::format(", {:.1f} pins/s", *pins_per_second);
  text += ", " + bytes_text(s.bytes);
  text += fmt::format(", {} in flight, {} error{}", s.in_flight, s.errors, s.errors == 1 ? "" : "s");
  if (eta) text += ", about " + span_text(eta->count()) + " left";
  return text;
}

std::string terminal_line(std::string_view text) { return "\r\033[K" + std::string(text); }

ProgressReporter::ProgressReporter(Options options) : options_(std::move(options)) {
  if (!options_.write_terminal) {
    options_.write_terminal = [](std::string_view s) {
      std::fwrite(s.data(), 1, s.size(), stderr);
      std::fflush(stderr);
    };
  }
  if (!options_.write_log) {
    options_.write_log = [](std::string_view s) { log::get("cluster")->info("progress: {}", s); };
  }
}

ProgressReporter::Options ProgressReporter::default_options() {
  Options options;
  options.terminal = ::isatty(STDERR_FILENO) == 1;
  return options;
}

// Rate over the whole run so far: steadier than the last interval, and honest after a pause.
std::string ProgressReporter::text_at(Clock::time_point now) const {
  std::optional<double> rate;
  std::optional<std::chrono::seconds> eta;
  const auto elapsed = std::chrono::duration<double>(now - started_.value_or(now)).count();
  const auto done = last_.pins_done - pins_at_start_;
  if (elapsed >= 1.0 && done >= 0) {
    rate = static_cast<double>(done) / elapsed;
    const auto left = last_.pins_total - last_.pins_done;
    if (*rate > 0 && left > 0) {
      eta = std::chrono::seconds(static_cast<std::int64_t>(static_cast<double>(left) / *rate + 0.5));
    }
  }
  return progress_text(last_, rate, eta);
}

void ProgressReporter::update(const ProgressSnapshot& snapshot, Clock::time_point now) {
  if (!started_) {
    started_ = now;
    pins_at_start_ = snapshot.pins_done;
  }
  last_ = snapshot;
  const auto interval = options_.terminal ? std::chrono::duration_cast<Clock::duration>(options_.redraw_interval)
                                          : std::chrono::duration_cast<Clock::duration>(options_.summary_interval);
  if (shown_ && now - last_output_ < interval) return;
  if (options_.terminal) {
    options_.write_terminal(terminal_line(text_at(now)));
  } else {
    options_.write_log(text_at(now));
  }
  shown_ = true;
  last_output_ = now;
}

void ProgressReporter::finish(Clock::time_point now) {
  if (!started_) return;
  if (options_.terminal) {
    options_.write_terminal(terminal_line(text_at(now)) + "\n");
  } else {
    options_.write_log(text_at(now));
  }
  shown_ = false;
  started_.reset();
}

}  // namespace cf::follower
