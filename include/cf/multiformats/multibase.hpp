// Multibase (multiformats/multibase, multibase.csv): a one-character prefix naming the base,
// then the encoded bytes. Supported: base16 (f/F), base32 RFC 4648 without padding (b/B),
// base58btc (z), base64 (m), base64pad (M), base64url (u), base64urlpad (U).
// The *_raw functions handle the same alphabets without a prefix, e.g. the upper-case base32 of
// datastore keys (boxo dshelp) and the padded std base64 of identity.json.
// Decoding is case-insensitive for base16 and base32, as multibase's tests require.
#pragma once

#include <string>
#include <string_view>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"

namespace cf::multiformats::multibase {

// The value is the multibase prefix character.
enum class Base : char {
  base16 = 'f',
  base16_upper = 'F',
  base32 = 'b',
  base32_upper = 'B',
  base58btc = 'z',
  base64 = 'm',
  base64_pad = 'M',
  base64_url = 'u',
  base64_url_pad = 'U',
};

// Prefix character + encoding.
std::string encode(Base base, ByteView bytes);

// Dispatches on the prefix. errc::unknown_base for an unsupported or missing prefix,
// errc::invalid_encoding for a bad character, length or padding.
Result<Bytes> decode(std::string_view text);

// The base named by the first character of `text`.
Result<Base> base_of(std::string_view text);

// Encoding and decoding without the prefix character.
std::string encode_raw(Base base, ByteView bytes);
Result<Bytes> decode_raw(Base base, std::string_view text);

// Longest base58btc text decode_raw accepts (the conversion is quadratic).
inline constexpr std::size_t max_base58_text = 4096;

}  // namespace cf::multiformats::multibase
