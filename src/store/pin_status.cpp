#include "cf/store/pin_status.hpp"

#include <array>

namespace cf::store {
namespace {

constexpr std::array all_statuses{
    PinStatus::undefined,   PinStatus::cluster_error, PinStatus::pin_error,
    PinStatus::unpin_error, PinStatus::pinned,        PinStatus::pinning,
    PinStatus::unpinning,   PinStatus::unpinned,      PinStatus::remote,
    PinStatus::pin_queued,  PinStatus::unpin_queued,  PinStatus::sharded,
    PinStatus::unexpectedly_unpinned,
};

constexpr std::array all_ownerships{Ownership::none, Ownership::ours, Ownership::preexisting};

}  // namespace

std::string_view to_string(PinStatus status) {
  switch (status) {
    case PinStatus::undefined: return "undefined";
    case PinStatus::cluster_error: return "cluster_error";
    case PinStatus::pin_error: return "pin_error";
    case PinStatus::unpin_error: return "unpin_error";
    case PinStatus::pinned: return "pinned";
    case PinStatus::pinning: return "pinning";
    case PinStatus::unpinning: return "unpinning";
    case PinStatus::unpinned: return "unpinned";
    case PinStatus::remote: return "remote";
    case PinStatus::pin_queued: return "pin_queued";
    case PinStatus::unpin_queued: return "unpin_queued";
    case PinStatus::sharded: return "sharded";
    case PinStatus::unexpectedly_unpinned: return "unexpectedly_unpinned";
  }
  return "undefined";
}

std::optional<PinStatus> parse_pin_status(std::string_view text) {
  for (auto status : all_statuses) {
    if (to_string(status) == text) return status;
  }
  return std::nullopt;
}

std::span<const PinStatus> all_pin_statuses() { return all_statuses; }

std::string_view to_string(Ownership ownership) {
  switch (ownership) {
    case Ownership::none: return "none";
    case Ownership::ours: return "ours";
    case Ownership::preexisting: return "preexisting";
  }
  return "none";
}

std::optional<Ownership> parse_ownership(std::string_view text) {
  for (auto ownership : all_ownerships) {
    if (to_string(ownership) == text) return ownership;
  }
  return std::nullopt;
}

}  // namespace cf::store
