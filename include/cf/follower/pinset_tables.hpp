// Typed access to the `pins` (the desired pinset) and `pin_status` (what the follower did
// about each CID) tables of state.db; docs/store.md describes both. Statements are prepared
// once per object. Use from the thread that owns the Store (the reconciler's).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "cf/base/result.hpp"
#include "cf/cluster/pin.hpp"
#include "cf/store/pin_status.hpp"
#include "cf/store/store.hpp"

namespace cf::follower {

class PinsTable {
 public:
  static Result<PinsTable> open(store::Store& db);

  Status put(const cluster::Pin& pin, std::int64_t now);
  Status remove(const multiformats::Cid& cid);
  Result<std::optional<cluster::Pin>> get(const multiformats::Cid& cid);
  // Every pin, in CID-byte order; stops at the first error.
  Status for_each(const std::function<void(cluster::Pin)>& on_pin);
  // Every pin's CID, in byte order, without reading the rest of the row.
  Status for_each_cid(const std::function<void(multiformats::Cid)>& on_cid);

 private:
  PinsTable(store::Statement put, store::Statement remove, store::Statement get)
      : put_(std::move(put)), remove_(std::move(remove)), get_(std::move(get)) {}
  store::Store* db_ = nullptr;
  store::Statement put_, remove_, get_;
};

struct StatusRow {
  multiformats::Cid cid;
  store::PinStatus status = store::PinStatus::undefined;
  std::string error{};
  int attempts = 0;
  std::optional<std::int64_t> next_retry_at{};  // Unix seconds
  store::Ownership ownership = store::Ownership::none;
  std::optional<int> pinned_depth{};  // the depth Kubo has it pinned with (-1, 0, N), when pinned
  std::int64_t updated_at = 0;
};

class StatusTable {
 public:
  static Result<StatusTable> open(store::Store& db);

  Status put(const StatusRow& row);
  Status remove(const multiformats::Cid& cid);
  Result<std::optional<StatusRow>> get(const multiformats::Cid& cid);
  // Every row, in CID-byte order.
  Status for_each(const std::function<void(StatusRow)>& on_row);
  // The rows whose CID is not in the pins table, in CID-byte order.
  Status for_each_without_pin(const std::function<void(StatusRow)>& on_row);

 private:
  StatusTable(store::Statement put, store::Statement remove, store::Statement get)
      : put_(std::move(put)), remove_(std::move(remove)), get_(std::move(get)) {}
  store::Store* db_ = nullptr;
  store::Statement put_, remove_, get_;
};

}  // namespace cf::follower
