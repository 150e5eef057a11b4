#include "cf/follower/work_queue.hpp"

#include <algorithm>

namespace cf::follower {

std::chrono::seconds retry_backoff(int attempts) {
  constexpr std::chrono::seconds first{5};
  constexpr std::chrono::seconds cap{6 * 3600};
  if (attempts <= 1) return first;
  int doublings = std::min(attempts - 1, 20);  // 5 s << 20 is far beyond the cap
  return std::min(cap, first * (std::int64_t{1} << doublings));
}

std::uint64_t WorkQueue::place(const multiformats::Cid& cid, Place where) {
  forget(cid);
  auto generation = next_generation_++;
  where_.insert_or_assign(cid, Slot{where, generation});
  switch (where) {
    case Place::new_pin: ++new_count_; break;
    case Place::retry_pin: ++retry_count_; break;
    case Place::unpin: ++unpin_count_; break;
  }
  return generation;
}

void WorkQueue::forget(const multiformats::Cid& cid) {
  auto it = where_.find(cid);
  if (it == where_.end()) return;
  switch (it->second.place) {
    case Place::new_pin: --new_count_; break;
    case Place::retry_pin: --retry_count_; break;
    case Place::unpin: --unpin_count_; break;
  }
  where_.erase(it);
}

bool WorkQueue::live(const Entry& e) const {
  auto it = where_.find(e.cid);
  return it != where_.end() && it->second.generation == e.generation;
}

void WorkQueue::push_new_pin(const multiformats::Cid& cid) {
  new_pins_.push_back(Entry{cid, place(cid, Place::new_pin)});
}

void WorkQueue::push_retry_pin(const multiformats::Cid& cid, Clock::time_point due) {
  retries_.push(Retry{due, Entry{cid, place(cid, Place::retry_pin)}});
}

void WorkQueue::push_unpin(const multiformats::Cid& cid) {
  unpins_.push_back(Entry{cid, place(cid, Place::unpin)});
}

void WorkQueue::push_retry_unpin(const multiformats::Cid& cid, Clock::time_point due) {
  unpin_retries_.push(Retry{due, Entry{cid, place(cid, Place::unpin)}});
}

void WorkQueue::remove(const multiformats::Cid& cid) { forget(cid); }

void WorkQueue::drop_stale(RetryHeap& heap) {
  while (!heap.empty() && !live(heap.top().entry)) heap.pop();
}

std::optional<multiformats::Cid> WorkQueue::pop_due(RetryHeap& heap, Clock::time_point now) {
  drop_stale(heap);
  if (heap.empty() || heap.top().due > now) return std::nullopt;
  Entry e = heap.top().entry;
  heap.pop();
  forget(e.cid);
  return e.cid;
}

std::optional<multiformats::Cid> WorkQueue::pop_pin(Clock::time_point now) {
  while (!new_pins_.empty()) {
    Entry e = std::move(new_pins_.front());
    new_pins_.pop_front();
    if (!live(e)) continue;
    forget(e.cid);
    return e.cid;
  }
  return pop_due(retries_, now);
}

std::optional<multiformats::Cid> WorkQueue::pop_unpin(Clock::time_point now) {
  while (!unpins_.empty()) {
    Entry e = std::move(unpins_.front());
    unpins_.pop_front();
    if (!live(e)) continue;
    forget(e.cid);
    return e.cid;
  }
  return pop_due(unpin_retries_, now);
}

std::optional<Clock::time_point> WorkQueue::top_due(RetryHeap& heap) {
  drop_stale(heap);
  if (heap.empty()) return std::nullopt;
  return heap.top().due;
}

std::optional<Clock::time_point> WorkQueue::next_pin_retry_due() { return top_due(retries_); }

std::optional<Clock::time_point> WorkQueue::next_unpin_retry_due() { return top_due(unpin_retries_); }

std::optional<Clock::time_point> WorkQueue::next_retry_due() {
  auto pin = next_pin_retry_due();
  auto unpin = next_unpin_retry_due();
  if (!pin || !unpin) return pin ? pin : unpin;
  return std::min(*pin, *unpin);
}

}  // namespace cf::follower
