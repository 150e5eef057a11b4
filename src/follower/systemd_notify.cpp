#include "cf/follower/systemd_notify.hpp"

#include <time.h>

#include <algorithm>
#include <cstdlib>

#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <systemd/sd-daemon.h>

#include "cf/base/errc.hpp"
#include "cf/base/log.hpp"

namespace cf::follower {
namespace {

// CLOCK_MONOTONIC in microseconds, as systemd expects in MONOTONIC_USEC.
std::uint64_t monotonic_usec() {
  timespec ts{};
  ::clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000u + static_cast<std::uint64_t>(ts.tv_nsec) / 1000u;
}

}  // namespace

bool SystemdNotifier::enabled() const {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  return socket != nullptr && socket[0] != '\0';
}

Status SystemdNotifier::send(const std::string& state) {
  if (!enabled()) return ok();
  int r = ::sd_notify(0, state.c_str());
  if (r > 0) return ok();
  // r == 0 cannot happen here (the socket is set); r < 0 is -errno.
  auto code = r < 0 ? std::error_code(-r, std::generic_category()) : make_error_code(errc::io_failed);
  return Error(errc::io_failed, "sd_notify to NOTIFY_SOCKET failed: " + code.message());
}

Status SystemdNotifier::ready() { return send("READY=1"); }

Status SystemdNotifier::status(std::string_view text) {
  // One assignment per line in the protocol: a newline would start a new (forged) variable.
  std::string line(text);
  std::replace_if(line.begin(), line.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return send("STATUS=" + line);
}

Status SystemdNotifier::stopping() { return send("STOPPING=1"); }

Status SystemdNotifier::reloading() {
  return send("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(monotonic_usec()));
}

Status SystemdNotifier::watchdog_ping() { return send("WATCHDOG=1"); }

Status SystemdNotifier::extend_timeout(std::chrono::microseconds more) {
  return send("EXTEND_TIMEOUT_USEC=" + std::to_string(std::max<std::int64_t>(more.count(), 0)));
}

std::optional<std::chrono::microseconds> SystemdNotifier::watchdog_interval() const {
  std::uint64_t usec = 0;
  if (::sd_watchdog_enabled(0, &usec) <= 0 || usec == 0) return std::nullopt;
  return std::chrono::microseconds(static_cast<std::int64_t>(usec));
}

asio::awaitable<void> run_watchdog(SystemdNotifier& notifier) {
  auto interval = notifier.watchdog_interval();
  if (!interval) co_return;
  log::get("cluster")->debug("systemd watchdog on: pinging every {} ms", interval->count() / 2000);
  co_await run_watchdog(notifier, *interval);
}

asio::awaitable<void> run_watchdog(SystemdNotifier& notifier, std::chrono::microseconds interval) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  const auto period = std::max<std::chrono::microseconds>(interval / 2, std::chrono::milliseconds(1));
  for (;;) {
    // Ping first: the manager's clock started at READY=1, before this coroutine ran.
    if (auto sent = notifier.watchdog_ping(); !sent) {
      log::get("cluster")->warn("systemd watchdog ping failed: {}", sent.error().message());
    }
    timer.expires_after(period);
    auto [ec] = co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // cancelled: shutdown
  }
}

}  // namespace cf::follower
