// Progress of a sync for people (DESIGN §2): a terminal gets one line that rewrites itself,
// anything else (systemd's journal, a redirected log) gets a one-line summary through the log
// every `summary_interval` (60 s by default), so logs stay readable.
//
//   pins 1200/5000 (24.0%), 35.2 pins/s, 1.2 GiB, 10 in flight, 3 errors, about 1 min 48 s left
//
// The formatting is pure (progress_text and friends) and time is passed in, so tests never
// sleep. Ownership and threads: the reporter is a plain object owned by whoever drives the
// sync; call it from one thread (the io_context's). It writes nothing by itself: the caller
// calls update() when the numbers change or on its own tick.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cf::follower {

struct ProgressSnapshot {
  std::int64_t pins_done = 0;
  std::int64_t pins_total = 0;
  std::int64_t bytes = 0;  // pinned so far, as Kubo reports it
  std::int64_t in_flight = 0;
  std::int64_t errors = 0;
};

// "1.2 GiB", "512 B", "3.0 MiB": binary units with one decimal above bytes.
std::string bytes_text(std::int64_t bytes);

// The progress line, without any terminal control. `pins_per_second` and `eta` are shown
// when known (nullopt leaves them out).
std::string progress_text(const ProgressSnapshot& snapshot, std::optional<double> pins_per_second,
                          std::optional<std::chrono::seconds> eta);

// The line for a terminal: carriage return and erase-line, then the text (no newline).
std::string terminal_line(std::string_view text);

class ProgressReporter {
 public:
  using Clock = std::chrono::steady_clock;
  using Write = std::function<void(std::string_view)>;

  struct Options {
    bool terminal = false;  // stderr is a TTY: rewrite one line; else log summaries
    std::chrono::seconds summary_interval{60};
    std::chrono::milliseconds redraw_interval{250};  // a terminal faster than this only flickers
    Write write_terminal;  // default: stderr, flushed
    Write write_log;       // default: the "cluster" logger at info
  };

  // `terminal` in options is taken as given; default_options() fills it from isatty(stderr).
  explicit ProgressReporter(Options options);
  static Options default_options();

  // New numbers at `now`. Draws (terminal) or logs (summary) when its interval has passed;
  // the first update always shows.
  void update(const ProgressSnapshot& snapshot, Clock::time_point now);

  // Ends the display: on a terminal, a final redraw and a newline so later logs start clean;
  // otherwise one last summary. Safe to call more than once; update() afterwards starts over.
  void finish(Clock::time_point now);

 private:
  std::string text_at(Clock::time_point now) const;

  Options options_;
  ProgressSnapshot last_{};
  bool shown_ = false;  // something was drawn or logged since construction or finish()
  std::optional<Clock::time_point> started_;
  std::int64_t pins_at_start_ = 0;
  Clock::time_point last_output_{};
};

}  // namespace cf::follower
