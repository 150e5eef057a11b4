// Reading Kubo's answers (private to the kubo layer): JSON objects, CIDs and numbers in them,
// and error bodies. nlohmann::json stays inside the kubo layer's sources.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cf/base/json.hpp"
#include "cf/base/result.hpp"
#include "cf/kubo/pins.hpp"
#include "cf/multiformats/cid.hpp"

namespace cf::kubo::detail {

using Json = nlohmann::json;

// The body as a JSON object (cf::parse_json: depth-bounded). Errors: cf::errc::too_deep, or
// invalid_input "not a JSON object: <the body on one line, cut short>".
Result<Json> parse_object(std::string_view body);

// A string field, or "" when absent or not a string.
std::string string_field(const Json& doc, const char* key);

// An unsigned number field: 0 when absent (Kubo omits zero values), nullopt when it is there
// but not an unsigned integer.
std::optional<std::uint64_t> unsigned_field(const Json& doc, const char* key);

// What a value is, for error messages that must not quote it: "a string of 12 bytes", "an
// array of 3 items", "an object of 2 keys", "a negative integer", "a fraction", "a boolean",
// "null".
std::string describe(const Json& value);

// A CID string from Kubo, with a message naming the field when it is not one.
Result<multiformats::Cid> parse_cid(const Json& value, std::string_view what);

// At most 300 printable characters of a plain-text answer, on one line.
std::string one_line(std::string_view text);

// Kubo's command error {"Message": "...", "Code": n, "Type": "error"}, if the body is one.
std::optional<std::string> kubo_error_message(std::string_view body);

// Kubo's ways of saying a CID is not pinned: "not pinned or pinned indirectly" (pin/rm) and
// "path '<cid>' is not pinned" (pin/ls). Upstream matches the same text (ends in "not pinned").
bool says_not_pinned(std::string_view message);

// A pin type as pin/ls writes it: "recursive", "direct", "indirect", or with an arg
// "indirect through <cid>" (the CID, when it parses, goes to `through`).
std::optional<PinType> parse_pin_type(std::string_view text,
                                      std::optional<multiformats::Cid>* through = nullptr);

}  // namespace cf::kubo::detail
