#include "answer.hpp"

#include "cf/base/errc.hpp"
#include "cf/base/json.hpp"

namespace cf::kubo::detail {

Result<Json> parse_object(std::string_view body) {
  auto doc = cf::parse_json(body, "");
  if (doc && doc->is_object()) return std::move(*doc);
  if (!doc && doc.error() == cf::errc::too_deep) return doc.error();
  return Error(cf::errc::invalid_input, "not a JSON object: " + one_line(body));
}

std::string string_field(const Json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<std::uint64_t> unsigned_field(const Json& doc, const char* key) {
  auto it = doc.find(key);
  if (it == doc.end()) return 0;
  if (!it->is_number_unsigned()) {
    // nlohmann reads 0 and positive integers as unsigned; anything else is not a count.
    return std::nullopt;
  }
  return it->get<std::uint64_t>();
}

namespace {

std::string count(std::size_t n, const char* unit) {
  return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
}

}  // namespace

std::string describe(const Json& value) {
  using Type = Json::value_t;
  switch (value.type()) {
    case Type::string: return "a string of " + count(value.get_ref<const std::string&>().size(), "byte");
    case Type::array: return "an array of " + count(value.size(), "item");
    case Type::object: return "an object of " + count(value.size(), "key");
    case Type::number_integer: return "a negative integer";  // nlohmann reads 0 and up as unsigned
    case Type::number_unsigned: return "an integer";
    case Type::number_float: return "a fraction";
    case Type::boolean: return "a boolean";
    case Type::null: return "null";
    default: return "a binary value";
  }
}

Result<multiformats::Cid> parse_cid(const Json& value, std::string_view what) {
  if (!value.is_string()) return Error(cf::errc::invalid_input, std::string(what) + " is not a string");
  auto text = value.get<std::string>();
  auto cid = multiformats::Cid::parse(text);
  if (!cid) {
    return Error(cf::errc::invalid_input,
                 std::string(what) + " \"" + one_line(text) + "\" is not a CID: " + cid.error().message());
  }
  return cid;
}

std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 300)) {
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (text.size() > 300) out += "...";
  return out;
}

std::optional<std::string> kubo_error_message(std::string_view body) {
  auto doc = parse_object(body);
  if (!doc) return std::nullopt;
  auto it = doc->find("Message");
  if (it == doc->end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

bool says_not_pinned(std::string_view message) {
  return message == "not pinned or pinned indirectly" || message.ends_with("not pinned");
}

std::optional<PinType> parse_pin_type(std::string_view text,
                                      std::optional<multiformats::Cid>* through) {
  if (text == "recursive") return PinType::recursive;
  if (text == "direct") return PinType::direct;
  if (text == "indirect") return PinType::indirect;
  constexpr std::string_view prefix = "indirect through ";
  if (!text.starts_with(prefix)) return std::nullopt;
  if (through != nullptr) {
    auto parent = multiformats::Cid::parse(text.substr(prefix.size()));
    if (parent) *through = std::move(*parent);
  }
  return PinType::indirect;
}

}  // namespace cf::kubo::detail
