#include "cf/follower/pinset_tables.hpp"

#include "cf/base/errc.hpp"
#include "cf/base/json.hpp"

namespace cf::follower {
namespace {

using multiformats::Cid;
using nlohmann::json;

constexpr std::string_view pin_columns =
    "cid, cid_text, type, max_depth, name, allocations, replication_min, replication_max, reference, "
    "shard_size, origins, metadata, update_from, expire_at, timestamp";

std::string allocations_json(const cluster::Pin& pin) {
  json a = json::array();
  for (const auto& p : pin.allocations) a.push_back(p.to_string());
  return a.dump();
}

std::string origins_json(const cluster::Pin& pin) {
  json a = json::array();
  for (const auto& m : pin.origins) a.push_back(m.to_string());
  return a.dump();
}

std::optional<Bytes> cid_bytes(const std::optional<Cid>& cid) {
  if (!cid) return std::nullopt;
  return cid->bytes();
}

Error corrupt_row(const std::string& what) {
  return Error(errc::invalid_input, "state.db pins row: " + what);
}

template <typename T, typename Parse>
Result<std::vector<T>> parse_string_array(const std::string& text, Parse parse, const char* column) {
  auto doc = cf::parse_json(text, column);
  if (!doc) return corrupt_row(doc.error().message());
  if (!doc->is_array()) return corrupt_row(std::string(column) + " is not a JSON array");
  std::vector<T> out;
  for (const auto& item : *doc) {
    if (!item.is_string()) return corrupt_row(std::string(column) + " has a non-string entry");
    CF_TRY_ASSIGN(value, parse(item.get<std::string>()));
    out.push_back(std::move(value));
  }
  return out;
}

Result<std::optional<Cid>> optional_cid(const store::Statement& s, int column) {
  if (s.is_null(column)) return std::optional<Cid>{};
  CF_TRY_ASSIGN(cid, Cid::from_bytes(s.column_blob(column)));
  return std::optional<Cid>{std::move(cid)};
}

Result<cluster::Pin> read_pin(const store::Statement& s) {
  CF_TRY_ASSIGN(cid, Cid::from_bytes(s.column_blob(0)));
  cluster::Pin pin{cid};
  auto type = cluster::parse_pin_type(s.column_text(2));
  if (!type) return corrupt_row("unknown type \"" + s.column_text(2) + "\"");
  pin.type = *type;
  pin.max_depth = static_cast<int>(s.column_int(3));
  pin.name = s.column_text(4);
  CF_TRY_ASSIGN(allocations, parse_string_array<multiformats::PeerId>(
                                 s.column_text(5), multiformats::PeerId::parse, "allocations"));
  pin.allocations = std::move(allocations);
  pin.replication_factor_min = static_cast<int>(s.column_int(6));
  pin.replication_factor_max = static_cast<int>(s.column_int(7));
  CF_TRY_ASSIGN(reference, optional_cid(s, 8));
  pin.reference = std::move(reference);
  pin.shard_size = static_cast<std::uint64_t>(s.column_int(9));
  CF_TRY_ASSIGN(origins, parse_string_array<multiformats::Multiaddr>(
                             s.column_text(10), multiformats::Multiaddr::parse, "origins"));
  pin.origins = std::move(origins);
  auto metadata = cf::parse_json(s.column_text(11), "metadata");
  if (!metadata) return corrupt_row(metadata.error().message());
  if (!metadata->is_object()) return corrupt_row("metadata is not a JSON object");
  for (const auto& [k, v] : metadata->items()) {
    if (v.is_string()) pin.metadata[k] = v.get<std::string>();
  }
  CF_TRY_ASSIGN(update_from, optional_cid(s, 12));
  pin.pin_update = std::move(update_from);
  pin.expire_at = s.column_optional_int(13);
  pin.timestamp = s.column_optional_int(14).value_or(0);
  return pin;
}

Result<StatusRow> read_status(const store::Statement& s) {
  CF_TRY_ASSIGN(cid, Cid::from_bytes(s.column_blob(0)));
  StatusRow row{cid};
  auto status = store::parse_pin_status(s.column_text(1));
  auto ownership = store::parse_ownership(s.column_text(5));
  if (!status || !ownership) return Error(errc::invalid_input, "state.db pin_status row has unknown values");
  row.status = *status;
  row.error = s.column_text(2);
  row.attempts = static_cast<int>(s.column_int(3));
  row.next_retry_at = s.column_optional_int(4);
  row.ownership = *ownership;
  if (auto depth = s.column_optional_int(6)) row.pinned_depth = static_cast<int>(*depth);
  row.updated_at = s.column_int(7);
  return row;
}

}  // namespace

Result<PinsTable> PinsTable::open(store::Store& db) {
  CF_TRY_ASSIGN(put, db.prepare("INSERT OR REPLACE INTO pins (" + std::string(pin_columns) +
                                ", updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
                                "?14, ?15, ?16)"));
  CF_TRY_ASSIGN(remove, db.prepare("DELETE FROM pins WHERE cid = ?1"));
  CF_TRY_ASSIGN(get, db.prepare("SELECT " + std::string(pin_columns) + " FROM pins WHERE cid = ?1"));
  PinsTable table(std::move(put), std::move(remove), std::move(get));
  table.db_ = &db;
  return table;
}

Status PinsTable::put(const cluster::Pin& pin, std::int64_t now) {
  json metadata = pin.metadata;
  put_.bind_all(ByteView(pin.cid.bytes()), std::string_view(pin.cid.to_string()),
                cluster::to_string(pin.type), std::int64_t{pin.max_depth}, std::string_view(pin.name),
                std::string_view(allocations_json(pin)), std::int64_t{pin.replication_factor_min},
                std::int64_t{pin.replication_factor_max}, cid_bytes(pin.reference),
                static_cast<std::int64_t>(pin.shard_size), std::string_view(origins_json(pin)),
                std::string_view(metadata.dump()), cid_bytes(pin.pin_update), pin.expire_at,
                std::optional<std::int64_t>(pin.timestamp), now);
  return put_.run();
}

Status PinsTable::remove(const Cid& cid) {
  remove_.bind(1, ByteView(cid.bytes()));
  return remove_.run();
}

Result<std::optional<cluster::Pin>> PinsTable::get(const Cid& cid) {
  get_.bind(1, ByteView(cid.bytes()));
  auto row = get_.step();
  if (!row || !*row) {
    get_.reset();
    if (!row) return row.error();
    return std::optional<cluster::Pin>{};
  }
  auto pin = read_pin(get_);
  get_.reset();
  if (!pin) return pin.error();
  return std::optional<cluster::Pin>{std::move(*pin)};
}

Status PinsTable::for_each(const std::function<void(cluster::Pin)>& on_pin) {
  CF_TRY_ASSIGN(all, db_->prepare("SELECT " + std::string(pin_columns) + " FROM pins ORDER BY cid"));
  for (;;) {
    CF_TRY_ASSIGN(more, all.step());
    if (!more) return ok();
    CF_TRY_ASSIGN(pin, read_pin(all));
    on_pin(std::move(pin));
  }
}

Status PinsTable::for_each_cid(const std::function<void(Cid)>& on_cid) {
  CF_TRY_ASSIGN(all, db_->prepare("SELECT cid FROM pins ORDER BY cid"));
  for (;;) {
    CF_TRY_ASSIGN(more, all.step());
    if (!more) return ok();
    CF_TRY_ASSIGN(cid, Cid::from_bytes(all.column_blob(0)));
    on_cid(std::move(cid));
  }
}

Result<StatusTable> StatusTable::open(store::Store& db) {
  CF_TRY_ASSIGN(put, db.prepare("INSERT OR REPLACE INTO pin_status (cid, status, error, attempts, next_retry_at, "
                                "ownership, pinned_depth, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  CF_TRY_ASSIGN(remove, db.prepare("DELETE FROM pin_status WHERE cid = ?1"));
  CF_TRY_ASSIGN(get, db.prepare("SELECT cid, status, error, attempts, next_retry_at, ownership, pinned_depth, "
                                "updated_at FROM pin_status WHERE cid = ?1"));
  StatusTable table(std::move(put), std::move(remove), std::move(get));
  table.db_ = &db;
  return table;
}

Status StatusTable::put(const StatusRow& row) {
  std::optional<std::string_view> error;
  if (!row.error.empty()) error = row.error;
  std::optional<std::int64_t> depth;
  if (row.pinned_depth) depth = *row.pinned_depth;
  put_.bind_all(ByteView(row.cid.bytes()), store::to_string(row.status), error, std::int64_t{row.attempts},
                row.next_retry_at, store::to_string(row.ownership), depth, row.updated_at);
  return put_.run();
}

Status StatusTable::remove(const Cid& cid) {
  remove_.bind(1, ByteView(cid.bytes()));
  return remove_.run();
}

Result<std::optional<StatusRow>> StatusTable::get(const Cid& cid) {
  get_.bind(1, ByteView(cid.bytes()));
  auto row = get_.step();
  if (!row || !*row) {
    get_.reset();
    if (!row) return row.error();
    return std::optional<StatusRow>{};
  }
  auto status = read_status(get_);
  get_.reset();
  if (!status) return status.error();
  return std::optional<StatusRow>{std::move(*status)};
}

Status StatusTable::for_each(const std::function<void(StatusRow)>& on_row) {
  CF_TRY_ASSIGN(all, db_->prepare("SELECT cid, status, error, attempts, next_retry_at, ownership, pinned_depth, "
                                  "updated_at FROM pin_status ORDER BY cid"));
  for (;;) {
    CF_TRY_ASSIGN(more, all.step());
    if (!more) return ok();
    CF_TRY_ASSIGN(row, read_status(all));
    on_row(std::move(row));
  }
}

Status StatusTable::for_each_without_pin(const std::function<void(StatusRow)>& on_row) {
  CF_TRY_ASSIGN(all, db_->prepare("SELECT cid, status, error, attempts, next_retry_at, ownership, pinned_depth, "
                                  "updated_at FROM pin_status WHERE NOT EXISTS (SELECT 1 FROM pins WHERE pins.cid = "
                                  "pin_status.cid) ORDER BY cid"));
  for (;;) {
    CF_TRY_ASSIGN(more, all.step());
    if (!more) return ok();
    CF_TRY_ASSIGN(row, read_status(all));
    on_row(std::move(row));
  }
}

}  // namespace cf::follower
