// pin/ls (A4, A5): the streamed listing used for state sync and recover, and the lookup of one
// CID used before pinning (upstream's PinLsCid).
//
// Facts followed: stream=true gives NDJSON {"Cid","Type"[,"Name"]} per pin; names=true (Kubo
// ≥ 0.26, dropped by older ones) adds names; with an arg the answer is one
// {"Keys":{"<cid>":{"Type","Name"}}}, the type may read "indirect through <cid>", and a CID that
// is not pinned gives 500 "path '<cid>' is not pinned".
// Divergences: every type can be listed (upstream reads recursive only); names are asked for;
// keys are matched by decoded CID, not by string.
#include "answer.hpp"
#include "cf/base/errc.hpp"
#include "cf/kubo/client.hpp"
#include "query.hpp"

namespace cf::kubo {
namespace {

using detail::Json;

Result<PinEntry> parse_entry(std::string_view line) {
  CF_TRY_ASSIGN(doc, detail::parse_object(line));
  auto cid_field = doc.find("Cid");
  if (cid_field == doc.end()) return Error(cf::errc::invalid_input, "no Cid in " + detail::one_line(line));
  CF_TRY_ASSIGN(cid, detail::parse_cid(*cid_field, "Cid"));
  auto type_text = detail::string_field(doc, "Type");
  auto type = detail::parse_pin_type(type_text);
  if (!type) return Error(cf::errc::invalid_input, "unknown pin type in " + detail::one_line(line));
  return PinEntry{std::move(cid), *type, detail::string_field(doc, "Name")};
}

// The same content: equal bytes, or a v0 CID and its v1 dag-pb form (Kubo upgrades v0 when
// asked for a non-base58 cid-base, A3).
bool same_cid(const multiformats::Cid& a, const multiformats::Cid& b) {
  return a == b || a.to_v1() == b.to_v1();
}

Result<PinLookup> parse_lookup(const Json& value) {
  if (!value.is_object()) return Error(cf::errc::invalid_input, "pin entry is not an object");
  PinLookup lookup;
  lookup.type_text = detail::string_field(value, "Type");
  lookup.name = detail::string_field(value, "Name");
  auto type = detail::parse_pin_type(lookup.type_text, &lookup.through);
  if (!type) return Error(cf::errc::invalid_input, "unknown pin type \"" + lookup.type_text + "\"");
  lookup.type = *type;
  return lookup;
}

}  // namespace

Result<std::size_t> Client::pin_ls(PinLsType type, const PinHandler& on_pin) {
  auto query = detail::Query()
                   .add("stream", true)
                   .add("type", to_string(type))
                   .add("names", true)
                   .str();
  std::size_t count = 0;
  StreamLimits limits{options_.timeout};
  CF_TRY(stream_lines("pin/ls", query, limits, [&](std::string_view line) -> Status {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) return ok();
    CF_TRY_ASSIGN(entry, parse_entry(line));
    ++count;
    if (on_pin) on_pin(entry);
    return ok();
  }));
  return count;
}

Result<std::optional<PinLookup>> Client::pin_ls_one(const multiformats::Cid& cid, PinLsType type) {
  auto query = detail::Query()
                   .add("arg", cid.to_string())
                   .add("type", to_string(type))
                   .add("names", true)
                   .str();
  auto body = call("pin/ls", query);
  if (!body) {
    if (is_not_pinned(body.error())) return std::optional<PinLookup>();
    return body.error();
  }
  auto doc = detail::parse_object(*body);
  auto keys = doc ? doc->find("Keys") : Json::iterator();
  if (!doc || keys == doc->end() || !keys->is_object()) {
    return failure("pin/ls", errc::bad_response, "no Keys object: " + detail::one_line(*body));
  }
  for (const auto& [key, value] : keys->items()) {
    auto listed = multiformats::Cid::parse(key);
    if (!listed || !same_cid(*listed, cid)) continue;
    auto lookup = parse_lookup(value);
    if (!lookup) return failure("pin/ls", errc::bad_response, lookup.error().message());
    return std::optional<PinLookup>(std::move(*lookup));
  }
  return failure("pin/ls", errc::bad_response,
                 "the answer does not list " + cid.to_string() + ": " + detail::one_line(*body));
}

}  // namespace cf::kubo
