// Multibase codecs (multiformats/multibase multibase.csv; RFC 4648 for base16/32/64;
// base58btc with the Bitcoin alphabet, each leading zero byte written as '1').
#include "cf/multiformats/multibase.hpp"

#include <array>
#include <cstdint>

#include "cf/multiformats/errc.hpp"

namespace cf::multiformats::multibase {
namespace {

constexpr std::string_view hex_lower = "0123456789abcdef";
constexpr std::string_view hex_upper = "0123456789ABCDEF";
constexpr std::string_view b32_lower = "abcdefghijklmnopqrstuvwxyz234567";
constexpr std::string_view b32_upper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::string_view b64_std =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view b64_url =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Reverse lookup table: 0xff marks a character outside the alphabet.
using Table = std::array<std::uint8_t, 256>;

Table make_table(std::string_view alphabet, bool fold_case) {
  Table t;
  t.fill(0xff);
  for (std::size_t i = 0; i < alphabet.size(); ++i) {
    const auto c = static_cast<unsigned char>(alphabet[i]);
    t[c] = static_cast<std::uint8_t>(i);
    if (fold_case && c >= 'a' && c <= 'z') t[c - 'a' + 'A'] = static_cast<std::uint8_t>(i);
    if (fold_case && c >= 'A' && c <= 'Z') t[c - 'A' + 'a'] = static_cast<std::uint8_t>(i);
  }
  return t;
}

Error bad_char(std::string_view what, std::string_view text, std::size_t pos) {
  return Error(errc::invalid_encoding, std::string(what) + " text has an invalid character '" +
                                           std::string(1, text[pos]) + "' at offset " +
                                           std::to_string(pos));
}

std::string base16_encode(ByteView bytes, std::string_view digits) {
  std::string out;
  out.reserve(bytes.size() * 2);
  for (auto b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0x0f]);
  }
  return out;
}

Result<Bytes> base16_decode(std::string_view text) {
  static const Table table = make_table(hex_lower, true);
  if (text.size() % 2 != 0) return Error(errc::invalid_encoding, "base16 text has odd length");
  Bytes out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const auto hi = table[static_cast<unsigned char>(text[i])];
    const auto lo = table[static_cast<unsigned char>(text[i + 1])];
    if (hi == 0xff) return bad_char("base16", text, i);
    if (lo == 0xff) return bad_char("base16", text, i + 1);
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return out;
}

// Packs `bits_per_char`-bit groups, most significant first (RFC 4648 base32 and base64).
std::string pack_bits(ByteView bytes, std::string_view alphabet, unsigned bits_per_char) {
  std::string out;
  std::uint32_t acc = 0;
  unsigned bits = 0;
  const std::uint32_t mask = (1u << bits_per_char) - 1;
  for (auto b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= bits_per_char) {
      bits -= bits_per_char;
      out.push_back(alphabet[(acc >> bits) & mask]);
    }
  }
  if (bits > 0) out.push_back(alphabet[(acc << (bits_per_char - bits)) & mask]);
  return out;
}

// Inverse of pack_bits for unpadded text. Leftover bits that do not make a byte are dropped,
// as Go's non-strict decoders do.
Result<Bytes> unpack_bits(std::string_view text, const Table& table, unsigned bits_per_char,
                          std::string_view what) {
  Bytes out;
  out.reserve(text.size() * bits_per_char / 8);
  std::uint32_t acc = 0;
  unsigned bits = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto v = table[static_cast<unsigned char>(text[i])];
    if (v == 0xff) return bad_char(what, text, i);
    acc = (acc << bits_per_char) | v;
    bits += bits_per_char;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<std::uint8_t>(acc >> bits));
    }
  }
  return out;
}

Result<Bytes> base32_decode(std::string_view text) {
  static const Table table = make_table(b32_lower, true);
  const auto rem = text.size() % 8;
  if (rem == 1 || rem == 3 || rem == 6) {
    return Error(errc::invalid_encoding,
                 "base32 text has an impossible length " + std::to_string(text.size()));
  }
  return unpack_bits(text, table, 5, "base32");
}

std::string base64_encode(ByteView bytes, std::string_view alphabet, bool pad) {
  std::string out = pack_bits(bytes, alphabet, 6);
  if (pad) {
    while (out.size() % 4 != 0) out.push_back('=');
  }
  return out;
}

Result<Bytes> base64_decode(std::string_view text, bool url, bool pad) {
  static const Table std_table = make_table(b64_std, false);
  static const Table url_table = make_table(b64_url, false);
  const char* name = url ? (pad ? "base64urlpad" : "base64url") : (pad ? "base64pad" : "base64");
  if (pad) {
    if (text.size() % 4 != 0) {
      return Error(errc::invalid_encoding,
                   std::string(name) + " text length " + std::to_string(text.size()) +
                       " is not a multiple of 4");
    }
    std::size_t padding = 0;
    while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
      ++padding;
    }
    text.remove_suffix(padding);
  }
  if (text.size() % 4 == 1) {
    return Error(errc::invalid_encoding,
                 std::string(name) + " text has an impossible length " +
                     std::to_string(text.size()));
  }
  return unpack_bits(text, url ? url_table : std_table, 6, name);
}

std::string base58_encode(ByteView bytes) {
  std::size_t zeros = 0;
  while (zeros < bytes.size() && bytes[zeros] == 0) ++zeros;
  // Base-58 digits, least significant first; log(256)/log(58) < 1.37.
  std::vector<std::uint8_t> digits;
  digits.reserve((bytes.size() - zeros) * 137 / 100 + 1);
  for (std::size_t i = zeros; i < bytes.size(); ++i) {
    std::uint32_t carry = bytes[i];
    for (auto& d : digits) {
      carry += std::uint32_t{d} << 8;
      d = static_cast<std::uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<std::uint8_t>(carry % 58));
      carry /= 58;
    }
  }
  std::string out(zeros, '1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(b58[*it]);
  return out;
}

Result<Bytes> base58_decode(std::string_view text) {
  static const Table table = make_table(b58, false);
  if (text.size() > max_base58_text) {
    return Error(errc::invalid_encoding,
                 "base58btc text is too long (" + std::to_string(text.size()) + " characters)");
  }
  std::size_t ones = 0;
  while (ones < text.size() && text[ones] == '1') ++ones;
  // Base-256 digits, least significant first.
  std::vector<std::uint8_t> bytes;
  bytes.reserve(text.size());
  for (std::size_t i = ones; i < text.size(); ++i) {
    const auto v = table[static_cast<unsigned char>(text[i])];
    if (v == 0xff) return bad_char("base58btc", text, i);
    std::uint32_t carry = v;
    for (auto& b : bytes) {
      carry += std::uint32_t{b} * 58;
      b = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push_back(static_cast<std::uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  Bytes out(ones, 0);
  out.insert(out.end(), bytes.rbegin(), bytes.rend());
  return out;
}

}  // namespace

std::string encode_raw(Base base, ByteView bytes) {
  switch (base) {
    case Base::base16: return base16_encode(bytes, hex_lower);
    case Base::base16_upper: return base16_encode(bytes, hex_upper);
    case Base::base32: return pack_bits(bytes, b32_lower, 5);
    case Base::base32_upper: return pack_bits(bytes, b32_upper, 5);
    case Base::base58btc: return base58_encode(bytes);
    case Base::base64: return base64_encode(bytes, b64_std, false);
    case Base::base64_pad: return base64_encode(bytes, b64_std, true);
    case Base::base64_url: return base64_encode(bytes, b64_url, false);
    case Base::base64_url_pad: return base64_encode(bytes, b64_url, true);
  }
  return {};
}

Result<Bytes> decode_raw(Base base, std::string_view text) {
  switch (base) {
    case Base::base16:
    case Base::base16_upper: return base16_decode(text);
    case Base::base32:
    case Base::base32_upper: return base32_decode(text);
    case Base::base58btc: return base58_decode(text);
    case Base::base64: return base64_decode(text, false, false);
    case Base::base64_pad: return base64_decode(text, false, true);
    case Base::base64_url: return base64_decode(text, true, false);
    case Base::base64_url_pad: return base64_decode(text, true, true);
  }
  return Error(errc::unknown_base, "unknown base");
}

std::string encode(Base base, ByteView bytes) {
  return static_cast<char>(base) + encode_raw(base, bytes);
}

Result<Base> base_of(std::string_view text) {
  if (text.empty()) return Error(errc::unknown_base, "empty multibase text");
  switch (text.front()) {
    case 'f': return Base::base16;
    case 'F': return Base::base16_upper;
    case 'b': return Base::base32;
    case 'B': return Base::base32_upper;
    case 'z': return Base::base58btc;
    case 'm': return Base::base64;
    case 'M': return Base::base64_pad;
    case 'u': return Base::base64_url;
    case 'U': return Base::base64_url_pad;
    default: break;
  }
  return Error(errc::unknown_base,
               "unsupported multibase prefix '" + std::string(1, text.front()) + "'");
}

Result<Bytes> decode(std::string_view text) {
  CF_TRY_ASSIGN(base, base_of(text));
  return decode_raw(base, text.substr(1));
}

}  // namespace cf::multiformats::multibase
