// Follower pin policy; see pin_policy.hpp for the upstream rules it follows.
#include "cf/cluster/pin_policy.hpp"

#include <algorithm>

namespace cf::cluster {
namespace {

// The shard depth upstream uses: 1 (root and its direct children), 2 for indirect graphs.
constexpr int shard_max_depth = 1;

PinAction pin_with_depth(int max_depth) {
  if (max_depth < 0) return {PinAction::Kind::pin, PinAction::Mode::recursive, -1};
  if (max_depth == 0) return {PinAction::Kind::pin, PinAction::Mode::direct, 0};
  return {PinAction::Kind::pin, PinAction::Mode::limited, max_depth};
}

}  // namespace

bool is_pin_everywhere(const Pin& pin) {
  return pin.replication_factor_min == -1 && pin.replication_factor_max == -1;
}

bool is_remote_pin(const Pin& pin, const multiformats::PeerId& self) {
  if (is_pin_everywhere(pin)) return false;
  return std::find(pin.allocations.begin(), pin.allocations.end(), self) == pin.allocations.end();
}

bool is_expired(const Pin& pin, std::int64_t now) {
  // A zero or negative expire_at is Go's zero time ("never"); see format_go_time.
  return pin.expire_at && *pin.expire_at > 0 && *pin.expire_at < now;
}

PinAction decide(const Pin& pin, const multiformats::PeerId& self, std::int64_t now) {
  if (pin.type == PinType::meta) return {PinAction::Kind::sharded, PinAction::Mode::recursive, -1};
  if (is_remote_pin(pin, self)) return {PinAction::Kind::remote, PinAction::Mode::recursive, -1};
  if (is_expired(pin, now)) return {PinAction::Kind::expired, PinAction::Mode::recursive, -1};
  switch (pin.type) {
    case PinType::cluster_dag: return pin_with_depth(0);
    case PinType::shard: return pin_with_depth(std::max(pin.max_depth, shard_max_depth));
    case PinType::data:
    case PinType::meta: break;
  }
  return pin_with_depth(pin.max_depth);
}

std::string_view to_string(PinAction::Kind kind) {
  switch (kind) {
    case PinAction::Kind::pin: return "pin";
    case PinAction::Kind::remote: return "remote";
    case PinAction::Kind::sharded: return "sharded";
    case PinAction::Kind::expired: return "expired";
  }
  return "unknown";
}

std::string_view to_string(PinAction::Mode mode) {
  switch (mode) {
    case PinAction::Mode::recursive: return "recursive";
    case PinAction::Mode::direct: return "direct";
    case PinAction::Mode::limited: return "limited";
  }
  return "unknown";
}

}  // namespace cf::cluster
