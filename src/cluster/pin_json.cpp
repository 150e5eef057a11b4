// Pin ↔ ipfs-cluster REST API JSON (api/types.go: Pin embeds PinOptions, so the options'
// keys come first; Cid.MarshalJSON writes a plain string or null; peer IDs are base58;
// time.Time is RFC 3339; a nil map or slice is null).
#include <limits>

#include "cf/base/json.hpp"
#include "cf/cluster/local_config.hpp"
#include "cf/cluster/pin.hpp"
#include "template_internal.hpp"

namespace cf::cluster {
namespace {

using Json = nlohmann::json;
namespace mf = multiformats;

// The format nests two levels (metadata, lists); unknown keys get some room beyond that.
constexpr std::size_t max_nesting = 32;

// A value for an error message, never re-serialising a structure: a string quoted, escaped and
// cut short, a number or literal as written (short by nature), an array or object by its size.
std::string shown(const Json& value) {
  auto n = std::to_string(value.size());
  if (value.is_array() && !value.empty()) return "an array of " + n + (value.size() == 1 ? " item" : " items");
  if (value.is_object() && !value.empty()) return "an object of " + n + (value.size() == 1 ? " key" : " keys");
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    auto text = Json(s.substr(0, 117)).dump(-1, ' ', false, Json::error_handler_t::replace);
    return s.size() > 117 ? text + "..." : text;
  }
  return value.dump();  // a number, true, false, null, [] or {}
}

// Reads the fields of one pin object, keeping the first problem.
class Fields {
 public:
  explicit Fields(const Json& doc) : doc_(doc) {}

  const std::optional<Error>& error() const { return error_; }

  // The value of `key`; nullptr when absent or null (Go leaves the field at its zero value).
  const Json* find(std::string_view key) const {
    auto it = doc_.find(key);
    return it == doc_.end() || it->is_null() ? nullptr : &*it;
  }

  bool fail(std::string_view field, const std::string& what) {
    if (!error_) error_ = Error(pinset_errc::invalid_pin, "pin: " + std::string(field) + ": " + what);
    return false;
  }

  bool string(std::string_view key, std::string& out) {
    const Json* v = find(key);
    if (v == nullptr) return true;
    if (!v->is_string()) return fail(key, "must be a string, got " + shown(*v));
    out = v->get<std::string>();
    return true;
  }

  bool integer(std::string_view key, int& out, int minimum) {
    const Json* v = find(key);
    if (v == nullptr) return true;
    if (!v->is_number_integer()) return fail(key, "must be an integer, got " + shown(*v));
    bool fits = v->is_number_unsigned() ? v->get<std::uint64_t>() <= std::numeric_limits<int>::max()
                                        : v->get<std::int64_t>() >= minimum &&
                                              v->get<std::int64_t>() <= std::numeric_limits<int>::max();
    if (!fits) {
      return fail(key, "must be an integer from " + std::to_string(minimum) + " to " +
                           std::to_string(std::numeric_limits<int>::max()) + ", got " + shown(*v));
    }
    out = v->get<int>();
    return true;
  }

  bool unsigned_integer(std::string_view key, std::uint64_t& out) {
    const Json* v = find(key);
    if (v == nullptr) return true;
    if (!v->is_number_unsigned()) return fail(key, "must be a non-negative integer, got " + shown(*v));
    out = v->get<std::uint64_t>();
    return true;
  }

  bool cid(std::string_view key, std::optional<mf::Cid>& out) {
    const Json* v = find(key);
    if (v == nullptr) return true;
    if (!v->is_string()) return fail(key, "must be a CID string or null, got " + shown(*v));
    auto parsed = mf::Cid::parse(v->get<std::string>());
    if (!parsed) return fail(key, "invalid CID " + shown(*v) + ": " + parsed.error().message());
    out = std::move(*parsed);
    return true;
  }

  bool time(std::string_view key, std::int64_t& out) {
    const Json* v = find(key);
    if (v == nullptr) return true;
    if (!v->is_string()) return fail(key, "must be an RFC 3339 time string, got " + shown(*v));
    auto parsed = parse_go_time(v->get<std::string>());
    if (!parsed) return fail(key, parsed.error().message());
    out = *parsed;
    return true;
  }

  // An array of strings, each turned into T by `parse` (a Result-returning factory).
  template <typename T, typename Parse>
  bool list(std::string_view key, std::vector<T>& out, std::string_view what, Parse parse) {
    const Json* v = find(key);
    if (v == nullptr) return true;
    if (!v->is_array()) return fail(key, "must be an array of " + std::string(what) + " strings, got " + shown(*v));
    if (v->size() > max_pin_list_size) {
      return fail(key, "has " + std::to_string(v->size()) + " entries, more than " +
                           std::to_string(max_pin_list_size));
    }
    std::vector<T> items;
    for (std::size_t i = 0; i < v->size(); ++i) {
      auto field = std::string(key) + "[" + std::to_string(i) + "]";
      const auto& item = (*v)[i];
      if (!item.is_string()) return fail(field, "must be a " + std::string(what) + " string, got " + shown(item));
      auto parsed = parse(item.template get<std::string>());
      if (!parsed) {
        return fail(field, "invalid " + std::string(what) + " " + shown(item) + ": " + parsed.error().message());
      }
      items.push_back(std::move(*parsed));
    }
    out = std::move(items);
    return true;
  }

  bool metadata(std::map<std::string, std::string>& out) {
    const Json* v = find("metadata");
    if (v == nullptr) return true;
    if (!v->is_object()) return fail("metadata", "must be an object of strings or null, got " + shown(*v));
    if (v->size() > max_pin_list_size) {
      return fail("metadata", "has " + std::to_string(v->size()) + " entries, more than " +
                                  std::to_string(max_pin_list_size));
    }
    for (const auto& [k, value] : v->items()) {
      if (!value.is_string()) return fail("metadata." + k, "must be a string, got " + shown(value));
      out[k] = value.get<std::string>();
    }
    return true;
  }

 private:
  const Json& doc_;
  std::optional<Error> error_;
};

bool read_type(Fields& f, PinType& out) {
  const Json* v = f.find("type");
  if (v == nullptr) return f.fail("type", "missing");
  auto type = v->is_string() ? parse_pin_type(v->get<std::string>()) : std::nullopt;
  if (!type) {
    return f.fail("type", "must be \"pin\", \"meta-pin\", \"clusterdag-pin\" or \"shard-pin\", got " + shown(*v));
  }
  out = *type;
  return true;
}

// "mode" is derived from max_depth upstream (PinDepth.ToPinMode); a disagreeing one is refused.
bool check_mode(Fields& f, int max_depth) {
  std::string mode;
  if (!f.string("mode", mode)) return false;
  if (mode.empty()) return true;  // PinModeFromString("") is recursive; max_depth decides
  if (mode != "recursive" && mode != "direct") {
    return f.fail("mode", "must be \"recursive\" or \"direct\", got \"" + mode + "\"");
  }
  if (mode != pin_mode_name(max_depth)) {
    return f.fail("mode", "\"" + mode + "\" contradicts max_depth " + std::to_string(max_depth) +
                              " (which means \"" + std::string(pin_mode_name(max_depth)) + "\")");
  }
  return true;
}

bool read_options(Fields& f, Pin& pin) {
  std::int64_t expire_at = 0;
  std::optional<mf::Cid> reference;
  std::optional<mf::Cid> pin_update;
  bool ok = f.integer("replication_factor_min", pin.replication_factor_min, -1) &&
            f.integer("replication_factor_max", pin.replication_factor_max, -1) &&
            f.string("name", pin.name) && f.unsigned_integer("shard_size", pin.shard_size) &&
            f.time("expire_at", expire_at) && f.metadata(pin.metadata) &&
            f.cid("pin_update", pin_update) &&
            f.list("origins", pin.origins, "multiaddr", mf::Multiaddr::parse) &&
            f.list("allocations", pin.allocations, "peer ID", mf::PeerId::parse) &&
            f.integer("max_depth", pin.max_depth, -1) && check_mode(f, pin.max_depth) &&
            f.cid("reference", reference) && f.time("timestamp", pin.timestamp);
  if (expire_at != 0) pin.expire_at = expire_at;
  pin.reference = std::move(reference);
  pin.pin_update = std::move(pin_update);
  return ok;
}

std::string quoted_list(const auto& items) {
  if (items.empty()) return "[]";
  std::string out = "[";
  for (const auto& item : items) {
    if (out.size() > 1) out += ',';
    out += go_json_quote(item.to_string());
  }
  return out + "]";
}

std::string cid_or_null(const std::optional<mf::Cid>& cid) {
  return cid ? go_json_quote(cid->to_string()) : "null";
}

}  // namespace

std::string to_json(const Pin& pin) {
  std::string metadata = "null";
  if (!pin.metadata.empty()) {
    metadata = "{";
    for (const auto& [k, v] : pin.metadata) {
      if (metadata.size() > 1) metadata += ',';
      metadata += go_json_quote(k);
      metadata += ':';
      metadata += go_json_quote(v);
    }
    metadata += "}";
  }
  return "{\"replication_factor_min\":" + std::to_string(pin.replication_factor_min) +
         ",\"replication_factor_max\":" + std::to_string(pin.replication_factor_max) +
         ",\"name\":" + go_json_quote(pin.name) + ",\"mode\":\"" +
         std::string(pin_mode_name(pin.max_depth)) +
         "\",\"shard_size\":" + std::to_string(pin.shard_size) +
         ",\"user_allocations\":null,\"expire_at\":\"" + format_go_time(pin.expire_at.value_or(0)) +
         "\",\"metadata\":" + metadata + ",\"pin_update\":" + cid_or_null(pin.pin_update) +
         ",\"origins\":" + quoted_list(pin.origins) + ",\"cid\":" + go_json_quote(pin.cid.to_string()) +
         ",\"type\":\"" + std::string(to_string(pin.type)) +
         "\",\"allocations\":" + quoted_list(pin.allocations) +
         ",\"max_depth\":" + std::to_string(pin.max_depth) + ",\"reference\":" +
         cid_or_null(pin.reference) + ",\"timestamp\":\"" + format_go_time(pin.timestamp) + "\"}";
}

std::string_view to_string(BadPinReason reason) {
  switch (reason) {
    case BadPinReason::malformed: return "malformed";
    case BadPinReason::invalid_cid: return "invalid_cid";
    case BadPinReason::invalid_field: return "invalid_field";
    case BadPinReason::too_large: return "too_large";
  }
  return "malformed";
}

BadPin inspect_bad_pin_json(std::string_view json_text) {
  if (json_text.size() > max_pin_json_size) return {BadPinReason::too_large};
  auto doc = cf::parse_json(json_text, "pin", max_nesting);
  if (!doc || !doc->is_object()) return {BadPinReason::malformed};
  Fields f(*doc);
  std::optional<mf::Cid> cid;
  if (!f.cid("cid", cid) || !cid) return {BadPinReason::invalid_cid};
  return {BadPinReason::invalid_field, std::move(cid)};
}

Result<Pin> pin_from_json(std::string_view json_text) {
  if (json_text.size() > max_pin_json_size) {
    return Error(pinset_errc::too_large, "pin: JSON of " + std::to_string(json_text.size()) +
                                             " bytes exceeds " + std::to_string(max_pin_json_size));
  }
  auto doc = cf::parse_json(json_text, "pin", max_nesting);
  if (!doc) return Error(pinset_errc::invalid_pin, doc.error().message());
  if (!doc->is_object()) return Error(pinset_errc::invalid_pin, "pin: must be a JSON object, got " + shown(*doc));
  Fields f(*doc);
  std::optional<mf::Cid> cid;
  if (!f.cid("cid", cid)) return *f.error();
  if (!cid) return Error(pinset_errc::invalid_pin, "pin: cid: missing");
  Pin pin{std::move(*cid)};
  if (!read_type(f, pin.type) || !read_options(f, pin)) return *f.error();
  return pin;
}

}  // namespace cf::cluster
