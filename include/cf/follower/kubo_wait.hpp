// Waiting for the user's Kubo at start: `run` polls Kubo's /api/v0/id once a second until it
// answers or the deadline passes, and shows a countdown so a user at a terminal (or in the
// journal) sees what it is waiting for and for how long.
#pragma once

#include <chrono>
#include <functional>
#include <string>

#include "cf/base/result.hpp"

namespace cf::follower {

struct KuboWaitOptions {
  std::chrono::seconds timeout{120};
  std::chrono::milliseconds interval{1000};
  // Tests inject these; empty means steady_clock and this_thread::sleep_for.
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<void(std::chrono::milliseconds)> sleep;
};

// One probe of Kubo: its peer ID on success.
using KuboProbe = std::function<Result<std::string>()>;

// Called before each retry with the seconds left and the last failure.
using KuboWaitTick = std::function<void(std::chrono::seconds left, const Error& last)>;

// The peer ID Kubo answered with, or cf::errc::timed_out naming `address`, the wait and the
// last failure.
Result<std::string> wait_for_kubo(const std::string& address, const KuboProbe& probe,
                                  const KuboWaitOptions& options, const KuboWaitTick& tick);

}  // namespace cf::follower
