#include "cf/p2p/host/events.hpp"

#include <vector>

namespace cf::p2p {

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    bus_ = other.bus_;
    id_ = other.id_;
    other.bus_ = nullptr;
  }
  return *this;
}

void Subscription::reset() {
  if (bus_) bus_->unsubscribe(id_);
  bus_ = nullptr;
}

Subscription EventBus::subscribe(Handler handler) {
  const auto id = next_id_++;
  handlers_.emplace(id, std::make_shared<Handler>(std::move(handler)));
  return Subscription(this, id);
}

void EventBus::publish(const ConnectionEvent& event) {
  // Ids are increasing, so handlers added by a handler (higher ids) are skipped by the bound.
  const auto last = next_id_;
  for (auto it = handlers_.begin(); it != handlers_.end() && it->first < last;) {
    const auto id = it->first;
    auto handler = it->second;  // kept alive even if the handler unsubscribes itself
    (*handler)(event);
    it = handlers_.upper_bound(id);
  }
}

}  // namespace cf::p2p
