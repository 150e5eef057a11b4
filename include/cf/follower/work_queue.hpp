// The reconciler's queues: which pin or unpin to start next.
//
// Pins that were never tried go first, in arrival order; failed pins wait for their backoff
// and then go by due time, so a pin that keeps failing never blocks new ones (upstream puts
// retries in the same queue). Unpins have their own queue. A CID is in at most one place:
// pushing it again replaces the earlier entry (entries are invalidated lazily by generation).
// Pure data structure: no I/O, no clock; callers pass `now`. Not thread-safe (the reconciler
// uses it from its own thread only).
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <queue>
#include <unordered_map>
#include <vector>

#include "cf/multiformats/cid.hpp"

namespace cf::follower {

using Clock = std::chrono::system_clock;

// Exponential backoff after `attempts` failed tries: 5 s, 10 s, 20 s, ... capped at 6 h.
std::chrono::seconds retry_backoff(int attempts);

class WorkQueue {
 public:
  void push_new_pin(const multiformats::Cid& cid);
  void push_retry_pin(const multiformats::Cid& cid, Clock::time_point due);
  void push_unpin(const multiformats::Cid& cid);
  void push_retry_unpin(const multiformats::Cid& cid, Clock::time_point due);
  // Forgets the CID wherever it is queued.
  void remove(const multiformats::Cid& cid);

  // The next pin to start: a new one if any, else the earliest retry that is due.
  std::optional<multiformats::Cid> pop_pin(Clock::time_point now);
  // The next unpin to start: a first try if any, else the earliest retry that is due.
  std::optional<multiformats::Cid> pop_unpin(Clock::time_point now);

  // When the earliest waiting retry (pin or unpin) becomes due, if there is one.
  std::optional<Clock::time_point> next_retry_due();
  // The same for pin retries only and for unpin retries only.
  std::optional<Clock::time_point> next_pin_retry_due();
  std::optional<Clock::time_point> next_unpin_retry_due();

  std::size_t new_pins() const { return new_count_; }
  std::size_t retry_pins() const { return retry_count_; }
  std::size_t unpins() const { return unpin_count_; }
  bool contains(const multiformats::Cid& cid) const { return where_.contains(cid); }

 private:
  enum class Place : std::uint8_t { new_pin, retry_pin, unpin };
  struct Entry {
    multiformats::Cid cid;
    std::uint64_t generation;
  };
  struct Retry {
    Clock::time_point due;
    Entry entry;
    bool operator>(const Retry& other) const { return due > other.due; }
  };
  struct Slot {
    Place place;
    std::uint64_t generation;
  };

  std::uint64_t place(const multiformats::Cid& cid, Place where);
  bool live(const Entry& e) const;
  void forget(const multiformats::Cid& cid);
  using RetryHeap = std::priority_queue<Retry, std::vector<Retry>, std::greater<>>;
  void drop_stale(RetryHeap& heap);
  std::optional<multiformats::Cid> pop_due(RetryHeap& heap, Clock::time_point now);
  std::optional<Clock::time_point> top_due(RetryHeap& heap);

  std::deque<Entry> new_pins_;
  RetryHeap retries_;
  std::deque<Entry> unpins_;
  RetryHeap unpin_retries_;
  std::unordered_map<multiformats::Cid, Slot> where_;
  std::uint64_t next_generation_ = 1;
  std::size_t new_count_ = 0, retry_count_ = 0, unpin_count_ = 0;
};

}  // namespace cf::follower
