// systemd's notify protocol (sd_notify(3)) for `run` under a Type=notify unit: readiness,
// a one-line status shown by `systemctl status`, reload/stop announcements, and the watchdog.
//
// Everything is a no-op when NOTIFY_SOCKET is unset (a terminal, cron, a container without
// systemd), so the daemon calls it unconditionally. libsystemd reads NOTIFY_SOCKET,
// WATCHDOG_USEC and WATCHDOG_PID from the process environment at each call; nothing is cached,
// and the variables are left in place (the daemon starts no children that could misuse them).
//
// Threads: the notifier holds no state and may be used from any thread.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <asio/awaitable.hpp>

#include "cf/base/result.hpp"

namespace cf::follower {

class SystemdNotifier {
 public:
  // True when NOTIFY_SOCKET names a socket: the process runs under a notify-aware manager.
  bool enabled() const;

  // Each sends one datagram. errc::io_failed when NOTIFY_SOCKET is set but the send fails
  // (the manager is gone, the socket path is wrong); ok and nothing sent when it is unset.
  Status ready();                        // READY=1: start-up is complete (after Kubo answers)
  Status status(std::string_view text);  // STATUS=<text>; newlines become spaces
  Status stopping();                     // STOPPING=1: shutdown has begun
  // RELOADING=1 with MONOTONIC_USEC (required by Type=notify-reload, harmless otherwise);
  // send ready() again once the reload is done.
  Status reloading();
  Status watchdog_ping();  // WATCHDOG=1
  // EXTEND_TIMEOUT_USEC: asks for more start-up (or stop) time, e.g. while waiting for Kubo.
  Status extend_timeout(std::chrono::microseconds more);

  // The unit's WatchdogSec= when the watchdog is on for this process (WATCHDOG_USEC set and
  // WATCHDOG_PID unset or ours), else nullopt.
  std::optional<std::chrono::microseconds> watchdog_interval() const;

 private:
  Status send(const std::string& state);
};

// Pings the watchdog every half interval until cancelled; returns at once when the watchdog
// is off. A failed ping is logged and the loop goes on (the manager decides what a missed ping
// means). The caller owns the coroutine and the notifier, which must outlive it; spawn it on
// the daemon's io_context with a cancellation slot and emit on it at shutdown, e.g.
//   asio::co_spawn(io, run_watchdog(notifier), asio::bind_cancellation_slot(sig.slot(), on_done));
// Cancellation (or destroying the io_context) ends it at the pending wait.
// The interval overload is for tests and for callers that already read the interval.
asio::awaitable<void> run_watchdog(SystemdNotifier& notifier);
asio::awaitable<void> run_watchdog(SystemdNotifier& notifier, std::chrono::microseconds interval);

}  // namespace cf::follower
