// An in-memory Kubo behind the KuboPins seam, for the reconciler's tests: a pin table that
// pin/add, pin/update and pin/rm change as Kubo would (names, types, "not pinned"), and knobs
// to make it refuse every call (Kubo down), fail chosen pins, or stall pin/adds until the
// test releases them or the caller's stop token fires. It records every call in order and
// the most pin/adds ever in flight at once.
//
// Single-threaded: every call runs on the test's io_context, so no call needs a thread pool
// and a test decides exactly when a stalled call ends. Every call answers on a later turn of
// the io_context, as a request to the real Kubo does, unless answer_at_once is set (then a
// caller's coroutine may end before the co_spawn that started it returns). Not thread-safe.
#pragma once

#include <algorithm>
#include <list>
#include <map>
#include <optional>
#include <stop_token>
#include <unordered_set>
#include <string>
#include <vector>

#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/this_coro.hpp>

#include "cf/base/errc.hpp"
#include "cf/follower/kubo_pins.hpp"
#include "cf/kubo/errc.hpp"

namespace cf::follower {

class FakeKuboPins final : public KuboPins {
 public:
  struct Pinned {
    kubo::PinType type = kubo::PinType::recursive;
    std::string name{};
    int depth = -1;  // the PinMode depth pin/add was given
  };

  // --- what Kubo has and how it behaves --------------------------------------------------------
  std::map<multiformats::Cid, Pinned> pins;
  bool down = false;                                       // every call: errc::unreachable
  std::map<multiformats::Cid, std::string> failing_pins;  // pin/add answers api_error with this
  std::map<multiformats::Cid, std::string> failing_unpins;  // pin/rm answers api_error with this
  bool stall_pin_adds = false;                            // pin/add waits; see release_stalled()
  bool answer_at_once = false;  // answer within the call, not on a later turn of the io_context

  // --- what the reconciler did -----------------------------------------------------------------
  std::vector<std::string> calls;  // "pin/add <cid>", "swarm/connect <addr>", ... in order
  int pin_adds_in_flight = 0;
  int max_pin_adds_in_flight = 0;

  // Lets every stalled pin/add go on (and pin, unless down or failing by then).
  void release_stalled() {
    for (auto* timer : stalled_) timer->cancel();
  }
  std::size_t stalled() const { return stalled_.size(); }
  int count(const std::string& prefix) const {
    return static_cast<int>(
        std::count_if(calls.begin(), calls.end(), [&](const std::string& c) { return c.starts_with(prefix); }));
  }
  bool has(const multiformats::Cid& cid) const { return pins.contains(cid); }

  Task<Status> id() override {
    calls.push_back("id");
    co_await later();
    if (down) co_return refused();
    co_return ok();
  }

  Task<Result<std::optional<kubo::PinLookup>>> pin_ls_one(multiformats::Cid cid, kubo::PinLsType type) override {
    calls.push_back("pin/ls " + cid.to_string());
    co_await later();
    if (down) co_return refused();
    auto it = pins.find(cid);
    if (it == pins.end() || !listed(it->second.type, type)) co_return std::optional<kubo::PinLookup>{};
    kubo::PinLookup found;
    found.type = it->second.type;
    found.type_text = std::string(kubo::to_string(found.type));
    found.name = it->second.name;
    co_return std::optional(found);
  }

  Task<Result<std::unordered_set<multiformats::Cid>>> pin_ls(kubo::PinLsType type) override {
    calls.push_back("pin/ls " + std::string(kubo::to_string(type)));
    co_await later();
    if (down) co_return refused();
    std::unordered_set<multiformats::Cid> out;
    for (const auto& [cid, pinned] : pins) {
      if (listed(pinned.type, type)) out.insert(cid);
    }
    co_return out;
  }

  Task<Result<kubo::PinAddResult>> pin_add(multiformats::Cid cid, kubo::PinAddOptions options,
                                           std::stop_token stop) override {
    calls.push_back("pin/add " + cid.to_string());
    co_await later();
    if (down) co_return refused();
    ++pin_adds_in_flight;
    max_pin_adds_in_flight = std::max(max_pin_adds_in_flight, pin_adds_in_flight);
    if (stall_pin_adds) co_await stall(stop);
    --pin_adds_in_flight;
    if (stop.stop_requested()) co_return Error(cf::errc::cancelled, "pin/add stopped: shutting down");
    if (down) co_return refused();
    if (auto f = failing_pins.find(cid); f != failing_pins.end()) co_return Error(kubo::errc::api_error, f->second);
    auto type = options.mode.is_recursive() ? kubo::PinType::recursive : kubo::PinType::direct;
    // Kubo keeps one pin per CID: a new pin/add replaces the type; an unnamed add keeps the name.
    auto& pinned = pins[cid];
    pinned.type = type;
    pinned.depth = options.mode.depth();
    if (!options.name.empty()) pinned.name = options.name;
    kubo::PinAddResult result;
    result.pins = {cid};
    result.progress = kubo::PinProgress{3, 3000};
    co_return result;
  }

  Task<Status> pin_update(multiformats::Cid from, multiformats::Cid to, std::chrono::milliseconds) override {
    calls.push_back("pin/update " + from.to_string() + " " + to.to_string());
    co_await later();
    if (down) co_return refused();
    auto it = pins.find(from);
    if (it == pins.end() || it->second.type != kubo::PinType::recursive) {
      co_return Error(kubo::errc::api_error, "'from' cid was not recursively pinned already");
    }
    pins[to] = it->second;
    co_return ok();
  }

  Task<Result<kubo::PinRmResult>> pin_rm(multiformats::Cid cid, std::chrono::milliseconds) override {
    calls.push_back("pin/rm " + cid.to_string());
    co_await later();
    if (down) co_return refused();
    if (auto f = failing_unpins.find(cid); f != failing_unpins.end()) co_return Error(kubo::errc::api_error, f->second);
    kubo::PinRmResult result;
    result.was_pinned = pins.erase(cid) > 0;
    co_return result;
  }

  Task<Status> swarm_connect(multiformats::Multiaddr address, std::chrono::milliseconds) override {
    calls.push_back("swarm/connect " + address.to_string());
    co_await later();
    if (down) co_return refused();
    co_return ok();
  }

 private:
  Task<void> later() {
    if (!answer_at_once) co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
  }

  static Error refused() { return Error(kubo::errc::unreachable, "connection refused"); }

  static bool listed(kubo::PinType have, kubo::PinLsType want) {
    switch (want) {
      case kubo::PinLsType::recursive: return have == kubo::PinType::recursive;
      case kubo::PinLsType::direct: return have == kubo::PinType::direct;
      case kubo::PinLsType::all: return true;
    }
    return false;
  }

  // Waits until release_stalled() or `stop`; the stop callback runs on the thread that asks
  // to stop, which in these tests is the io_context's.
  Task<void> stall(std::stop_token stop) {
    asio::steady_timer timer(co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
    auto it = stalled_.insert(stalled_.end(), &timer);
    {
      std::stop_callback on_stop(stop, [&timer] { timer.cancel(); });
      if (!stop.stop_requested()) co_await timer.async_wait(use_tuple);
    }
    stalled_.erase(it);
  }

  std::list<asio::steady_timer*> stalled_;
};

}  // namespace cf::follower
