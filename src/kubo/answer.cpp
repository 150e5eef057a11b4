#include "answer.hpp"

#include "cf/base/errc.hpp"

namespace cf::kubo::detail {

std::optional<Json> parse_object(std::string_view body) {
  auto doc = Json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  return doc;
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
