// UTF-8 validity as Go's utf8.Valid defines it (RFC 3629): no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing above U+10FFFF. protobuf-go applies this check to every proto3
// `string` field it decodes, so decoders that must accept exactly what Go accepts use it too.
#pragma once

#include <string_view>

#include "cf/base/bytes.hpp"

namespace cf {

bool is_valid_utf8(ByteView bytes);
inline bool is_valid_utf8(std::string_view text) { return is_valid_utf8(as_bytes(text)); }

}  // namespace cf
