// Connection lifecycle events of the host, for any number of subscribers (the protocol
// services: identify runs on `connected`, gossipsub opens its stream on `identified`, bitswap
// re-sends wants on `identified` and drops a peer on `disconnected`).
// Handlers are called synchronously on the host's executor, in subscription order; a handler
// must not block (spawn work into its own TaskSet). A handler may subscribe or unsubscribe
// (itself or others) while an event is being delivered: handlers added during a delivery do
// not see that event, handlers removed during it are not called after their removal.
// Ownership: a Subscription unsubscribes when destroyed; the bus must outlive it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>

namespace cf::p2p {

class Connection;

enum class ConnectionEventKind : std::uint8_t {
  connected,     // upgraded (either direction); streams can be opened
  identified,    // identify finished; the peer book holds the peer's protocols and addresses
  disconnected,  // closed (either side); its streams have failed
};

struct ConnectionEvent {
  ConnectionEventKind kind;
  std::shared_ptr<Connection> connection;
};

class EventBus;

class Subscription {
 public:
  Subscription() = default;
  Subscription(EventBus* bus, std::uint64_t id) : bus_(bus), id_(id) {}
  Subscription(Subscription&& other) noexcept : bus_(other.bus_), id_(other.id_) { other.bus_ = nullptr; }
  Subscription& operator=(Subscription&& other) noexcept;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  ~Subscription() { reset(); }
  void reset();

 private:
  EventBus* bus_ = nullptr;
  std::uint64_t id_ = 0;
};

class EventBus {
 public:
  using Handler = std::function<void(const ConnectionEvent&)>;

  [[nodiscard]] Subscription subscribe(Handler handler);
  void publish(const ConnectionEvent& event);
  std::size_t size() const { return handlers_.size(); }

 private:
  friend class Subscription;
  void unsubscribe(std::uint64_t id) { handlers_.erase(id); }

  std::map<std::uint64_t, std::shared_ptr<Handler>> handlers_;
  std::uint64_t next_id_ = 1;
};

}  // namespace cf::p2p
