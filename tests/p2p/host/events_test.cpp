#include "cf/p2p/host/events.hpp"

#include <gtest/gtest.h>

namespace cf::p2p {
namespace {

ConnectionEvent event(ConnectionEventKind kind) { return {kind, nullptr}; }

TEST(EventBus, EverySubscriberInOrderUntilItUnsubscribes) {
  EventBus bus;
  std::vector<int> calls;
  auto a = bus.subscribe([&](const ConnectionEvent&) { calls.push_back(1); });
  std::optional<Subscription> b = bus.subscribe([&](const ConnectionEvent&) { calls.push_back(2); });
  bus.publish(event(ConnectionEventKind::connected));
  b.reset();
  bus.publish(event(ConnectionEventKind::disconnected));
  EXPECT_EQ(calls, (std::vector<int>{1, 2, 1}));
  EXPECT_EQ(bus.size(), 1u);
}

TEST(EventBus, HandlersMaySubscribeAndUnsubscribeDuringADelivery) {
  EventBus bus;
  std::vector<int> calls;
  std::optional<Subscription> second;
  std::optional<Subscription> late;
  auto first = bus.subscribe([&](const ConnectionEvent&) {
    calls.push_back(1);
    second.reset();  // removed before its turn: not called
    if (!late) late = bus.subscribe([&](const ConnectionEvent&) { calls.push_back(3); });  // not this event
  });
  second = bus.subscribe([&](const ConnectionEvent&) { calls.push_back(2); });
  bus.publish(event(ConnectionEventKind::identified));
  EXPECT_EQ(calls, std::vector<int>{1});
  bus.publish(event(ConnectionEventKind::identified));
  EXPECT_EQ(calls, (std::vector<int>{1, 1, 3}));
}

TEST(EventBus, AMovedSubscriptionUnsubscribesOnce) {
  EventBus bus;
  int calls = 0;
  Subscription a = bus.subscribe([&](const ConnectionEvent&) { ++calls; });
  Subscription b = std::move(a);
  a.reset();  // moved from: nothing to undo
  bus.publish(event(ConnectionEventKind::connected));
  EXPECT_EQ(calls, 1);
  b.reset();
  bus.publish(event(ConnectionEventKind::connected));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace cf::p2p
