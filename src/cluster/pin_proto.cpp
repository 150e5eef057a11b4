// Pin ↔ api.pb.Pin (see pin_proto.hpp for the rules and the divergences from Go).
#include "cf/cluster/pin_proto.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "cf/base/protowire.hpp"
#include "cf/base/utf8.hpp"
#include "cf/multiformats/errc.hpp"

namespace cf::cluster {
namespace {

namespace mf = multiformats;
namespace pw = protowire;

// 9999-12-31T23:59:59Z, the last second Go's time.MarshalJSON (and parse_go_time) can write.
constexpr std::uint64_t max_json_time = 253402300799;

// api.pb field numbers.
namespace pin_field {
constexpr std::uint32_t cid = 1, type = 2, allocations = 3, max_depth = 4, reference = 5, options = 6,
                        timestamp = 7;
}
namespace options_field {
constexpr std::uint32_t rf_min = 1, rf_max = 2, name = 3, shard_size = 4, metadata_map = 6, pin_update = 7,
                        expire_at = 8, origins = 9, sorted_metadata = 10;
}
// Both a map<string,string> entry and a Metadata message: 1 Key, 2 Value.
constexpr std::uint32_t entry_key = 1, entry_value = 2;

Error invalid(const std::string& what) { return Error(pinset_errc::invalid_pin, "pin protobuf: " + what); }

Error too_many(const std::string& what) {
  return Error(pinset_errc::too_large,
               "pin protobuf: more than " + std::to_string(max_pin_list_size) + " " + what);
}

// protobuf-go keeps the low 32 bits of an int32/enum varint and zigzag-decodes sint32 from them.
std::int32_t low32(std::uint64_t v) { return static_cast<std::int32_t>(static_cast<std::uint32_t>(v)); }
std::int32_t unzigzag32(std::uint64_t v) {
  const auto u = static_cast<std::uint32_t>(v);
  return static_cast<std::int32_t>((u >> 1) ^ (0u - (u & 1u)));
}
std::uint64_t zigzag32(std::int32_t n) {
  return (static_cast<std::uint32_t>(n) << 1) ^ static_cast<std::uint32_t>(n >> 31);
}

// The options as proto3 leaves them; byte fields are views into the input.
struct RawOptions {
  std::int32_t rf_min = 0;
  std::int32_t rf_max = 0;
  std::string name;
  std::uint64_t shard_size = 0;
  std::map<std::string, std::string> map_metadata;
  std::vector<std::pair<std::string, std::string>> list_metadata;
  std::size_t metadata_entries = 0;
  ByteView pin_update;
  std::uint64_t expire_at = 0;
  std::vector<ByteView> origins;
};

struct RawPin {
  ByteView cid;
  std::int32_t type = 0;
  std::vector<ByteView> allocations;
  std::int32_t max_depth = 0;
  ByteView reference;
  RawOptions options;
  std::uint64_t timestamp = 0;
};

// Calls `on_field` for every field of one message level; a reader error names `where`.
template <typename OnField>
Status for_each_field(ByteView message, const std::string& where, OnField on_field) {
  pw::Reader reader(message);
  for (;;) {
    auto next = reader.next();
    if (!next) return invalid(where + ": " + next.error().message());
    if (!*next) return ok();
    CF_TRY(on_field(**next));
  }
}

bool is_bytes(const pw::Field& f) { return f.type == pw::WireType::length_delimited; }
bool is_varint(const pw::Field& f) { return f.type == pw::WireType::varint; }

Status read_text(const pw::Field& f, const std::string& where, std::string& out) {
  if (!is_valid_utf8(f.bytes)) return invalid(where + " is not valid UTF-8");
  out = cf::to_string(f.bytes);
  return ok();
}

// One map entry or Metadata message.
Result<std::pair<std::string, std::string>> read_entry(ByteView bytes, const std::string& where) {
  std::pair<std::string, std::string> entry;
  CF_TRY(for_each_field(bytes, where, [&](const pw::Field& f) -> Status {
    if (!is_bytes(f)) return ok();
    if (f.number == entry_key) return read_text(f, where + ".Key", entry.first);
    if (f.number == entry_value) return read_text(f, where + ".Value", entry.second);
    return ok();
  }));
  return entry;
}

Status read_options(ByteView bytes, RawOptions& o) {
  namespace of = options_field;
  return for_each_field(bytes, "Options", [&](const pw::Field& f) -> Status {
    if (is_varint(f)) {
      switch (f.number) {
        case of::rf_min: o.rf_min = unzigzag32(f.value); break;
        case of::rf_max: o.rf_max = unzigzag32(f.value); break;
        case of::shard_size: o.shard_size = f.value; break;
        case of::expire_at: o.expire_at = f.value; break;
        default: break;
      }
      return ok();
    }
    if (!is_bytes(f)) return ok();
    switch (f.number) {
      case of::name: return read_text(f, "Options.Name", o.name);
      case of::pin_update: o.pin_update = f.bytes; return ok();
      case of::origins:
        if (o.origins.size() >= max_pin_list_size) return too_many("Options.Origins");
        o.origins.push_back(f.bytes);
        return ok();
      case of::metadata_map:
      case of::sorted_metadata: {
        if (o.metadata_entries++ >= max_pin_list_size) return too_many("Options metadata entries");
        const bool map = f.number == of::metadata_map;
        CF_TRY_ASSIGN(entry, read_entry(f.bytes, map ? "Options.Metadata" : "Options.SortedMetadata"));
        if (map) {
          o.map_metadata[entry.first] = std::move(entry.second);
        } else {
          o.list_metadata.push_back(std::move(entry));
        }
        return ok();
      }
      default: return ok();
    }
  });
}

Result<RawPin> read_pin(ByteView bytes) {
  namespace pf = pin_field;
  RawPin p;
  CF_TRY(for_each_field(bytes, "Pin", [&](const pw::Field& f) -> Status {
    if (is_varint(f)) {
      switch (f.number) {
        case pf::type: p.type = low32(f.value); break;
        case pf::max_depth: p.max_depth = unzigzag32(f.value); break;
        case pf::timestamp: p.timestamp = f.value; break;
        default: break;
      }
      return ok();
    }
    if (!is_bytes(f)) return ok();
    switch (f.number) {
      case pf::cid: p.cid = f.bytes; return ok();
      case pf::allocations:
        if (p.allocations.size() >= max_pin_list_size) return too_many("Allocations");
        p.allocations.push_back(f.bytes);
        return ok();
      case pf::reference: p.reference = f.bytes; return ok();
      case pf::options: return read_options(f.bytes, p.options);  // a repeat merges, as in Go
      default: return ok();
    }
  }));
  return p;
}

Result<PinType> pin_type(std::int32_t index) {
  switch (index) {
    case 1: return PinType::data;
    case 2: return PinType::meta;
    case 3: return PinType::cluster_dag;
    case 4: return PinType::shard;
    default: break;
  }
  return invalid("Type: enum value " + std::to_string(index) + " is not a pin type (1 to 4)");
}

std::uint64_t pin_type_index(PinType type) {
  switch (type) {
    case PinType::data: return 1;
    case PinType::meta: return 2;
    case PinType::cluster_dag: return 3;
    case PinType::shard: return 4;
  }
  return 0;
}

Status at_least_minus_one(std::int32_t value, const char* field) {
  if (value >= -1) return ok();
  return invalid(std::string(field) + ": " + std::to_string(value) + " is below -1");
}

// 0 stays 0 (unset); later than year 9999 is refused.
Result<std::int64_t> json_time(std::uint64_t value, const char* field) {
  if (value > max_json_time) return invalid(std::string(field) + ": " + std::to_string(value) + " is after year 9999");
  return static_cast<std::int64_t>(value);
}

// CastCid: anything but exactly one CID reads as absent.
std::optional<mf::Cid> optional_cid(ByteView bytes) {
  auto cid = mf::Cid::from_bytes(bytes);
  if (!cid) return std::nullopt;
  return std::move(*cid);
}

Status convert_options(const RawOptions& o, Pin& pin) {
  CF_TRY(at_least_minus_one(o.rf_min, "Options.ReplicationFactorMin"));
  CF_TRY(at_least_minus_one(o.rf_max, "Options.ReplicationFactorMax"));
  pin.replication_factor_min = o.rf_min;
  pin.replication_factor_max = o.rf_max;
  pin.name = o.name;
  pin.shard_size = o.shard_size;
  pin.metadata = o.map_metadata;
  for (const auto& [k, v] : o.list_metadata) pin.metadata[k] = v;
  pin.pin_update = optional_cid(o.pin_update);
  CF_TRY_ASSIGN(expire_at, json_time(o.expire_at, "Options.ExpireAt"));
  if (expire_at != 0) pin.expire_at = expire_at;
  for (std::size_t i = 0; i < o.origins.size(); ++i) {
    if (o.origins[i].empty()) continue;
    auto addr = mf::Multiaddr::from_bytes(o.origins[i]);
    if (addr) {
      pin.origins.push_back(std::move(*addr));
    } else if (addr.error() != mf::errc::unknown_protocol) {
      return invalid("Options.Origins[" + std::to_string(i) + "]: not a multiaddr (" +
                     addr.error().code().message() + ")");
    }
  }
  return ok();
}

Result<Pin> convert(const RawPin& p, mf::Cid cid) {
  CF_TRY_ASSIGN(type, pin_type(p.type));
  Pin pin{std::move(cid), type};
  for (std::size_t i = 0; i < p.allocations.size(); ++i) {
    auto peer = mf::PeerId::from_bytes(p.allocations[i]);
    if (!peer) {
      return invalid("Allocations[" + std::to_string(i) + "]: not a peer ID (" + peer.error().code().message() + ")");
    }
    pin.allocations.push_back(std::move(*peer));
  }
  CF_TRY(at_least_minus_one(p.max_depth, "MaxDepth"));
  pin.max_depth = p.max_depth;
  pin.reference = optional_cid(p.reference);
  CF_TRY_ASSIGN(timestamp, json_time(p.timestamp, "Timestamp"));
  pin.timestamp = timestamp;
  CF_TRY(convert_options(p.options, pin));
  return pin;
}

Result<RawPin> read_bounded(ByteView bytes) {
  if (bytes.size() > max_pin_protobuf_size) {
    return Error(pinset_errc::too_large, "pin protobuf: " + std::to_string(bytes.size()) + " bytes exceeds " +
                                             std::to_string(max_pin_protobuf_size));
  }
  return read_pin(bytes);
}

Bytes options_to_protobuf(const Pin& pin) {
  namespace of = options_field;
  Bytes out;
  if (pin.replication_factor_min != 0) pw::append_varint_field(out, of::rf_min, zigzag32(pin.replication_factor_min));
  if (pin.replication_factor_max != 0) pw::append_varint_field(out, of::rf_max, zigzag32(pin.replication_factor_max));
  if (!pin.name.empty()) pw::append_string_field(out, of::name, pin.name);
  if (pin.shard_size != 0) pw::append_varint_field(out, of::shard_size, pin.shard_size);
  if (pin.pin_update) pw::append_bytes_field(out, of::pin_update, pin.pin_update->bytes());
  if (pin.expire_at && *pin.expire_at != 0) {
    pw::append_varint_field(out, of::expire_at, static_cast<std::uint64_t>(*pin.expire_at));
  }
  for (const auto& origin : pin.origins) pw::append_bytes_field(out, of::origins, origin.bytes());
  Bytes entry;
  for (const auto& [key, value] : pin.metadata) {  // std::map: sorted by key bytes, as sort.Strings
    entry.clear();
    if (!key.empty()) pw::append_string_field(entry, entry_key, key);
    if (!value.empty()) pw::append_string_field(entry, entry_value, value);
    pw::append_bytes_field(out, of::sorted_metadata, entry);
  }
  return out;
}

}  // namespace

Result<Pin> pin_from_protobuf(ByteView bytes) {
  CF_TRY_ASSIGN(raw, read_bounded(bytes));
  if (raw.cid.empty()) return invalid("Cid: missing");
  auto cid = mf::Cid::from_bytes(raw.cid);
  if (!cid) return invalid("Cid: not a CID (" + cid.error().code().message() + ")");
  return convert(raw, std::move(*cid));
}

Result<Pin> pin_from_protobuf(ByteView bytes, const mf::Cid& key_cid) {
  CF_TRY_ASSIGN(raw, read_bounded(bytes));
  return convert(raw, key_cid);
}

Bytes pin_to_protobuf(const Pin& pin) {
  namespace pf = pin_field;
  Bytes out;
  pw::append_bytes_field(out, pf::cid, pin.cid.bytes());
  pw::append_varint_field(out, pf::type, pin_type_index(pin.type));
  for (const auto& peer : pin.allocations) pw::append_bytes_field(out, pf::allocations, peer.bytes());
  if (pin.max_depth != 0) pw::append_varint_field(out, pf::max_depth, zigzag32(pin.max_depth));
  if (pin.reference) pw::append_bytes_field(out, pf::reference, pin.reference->bytes());
  pw::append_bytes_field(out, pf::options, options_to_protobuf(pin));
  if (pin.timestamp != 0) pw::append_varint_field(out, pf::timestamp, static_cast<std::uint64_t>(pin.timestamp));
  return out;
}

}  // namespace cf::cluster
