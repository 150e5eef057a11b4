// Multihash parsing and construction (multiformats/multihash; go-multihash Decode checks the
// length field against the digest).
#include "cf/multiformats/multihash.hpp"

#include <algorithm>
#include <cstring>
#include <string_view>

#include <sodium.h>

#include "cf/multiformats/errc.hpp"
#include "cf/multiformats/multibase.hpp"
#include "cf/multiformats/multicodec.hpp"
#include "cf/multiformats/varint.hpp"

namespace cf::multiformats {
namespace {

// Digests longer than this are not multihashes we could meet (and guard length arithmetic).
constexpr std::uint64_t max_digest_size = 1 << 20;

}  // namespace

Result<Multihash> Multihash::read(ByteView bytes, std::size_t& consumed) {
  auto code = decode_uvarint(bytes);
  if (!code) return std::move(code.error().wrap("multihash code"));
  auto length = decode_uvarint(bytes.subspan(code->size));
  if (!length) return std::move(length.error().wrap("multihash length"));
  const std::size_t header = code->size + length->size;
  if (length->value > max_digest_size || bytes.size() - header < length->value) {
    return Error(errc::truncated, "multihash declares a " + std::to_string(length->value) +
                                      "-byte digest but " +
                                      std::to_string(bytes.size() - header) + " bytes follow");
  }
  consumed = header + static_cast<std::size_t>(length->value);
  return Multihash(Bytes(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(consumed)),
                   code->value, header);
}

Result<Multihash> Multihash::from_bytes(ByteView bytes) {
  std::size_t consumed = 0;
  CF_TRY_ASSIGN(m, read(bytes, consumed));
  if (consumed != bytes.size()) {
    return Error(errc::invalid_multihash,
                 "multihash " + to_hex(bytes) + " has " +
                     std::to_string(bytes.size() - consumed) + " trailing bytes");
  }
  return m;
}

Multihash Multihash::create(std::uint64_t code, ByteView digest) {
  Bytes out;
  append_uvarint(out, code);
  append_uvarint(out, digest.size());
  const std::size_t header = out.size();
  out.insert(out.end(), digest.begin(), digest.end());
  return Multihash(std::move(out), code, header);
}

Multihash Multihash::sha2_256(ByteView data) {
  [[maybe_unused]] static const int sodium_ready = sodium_init();
  Bytes out{0x12, 0x20};
  out.resize(2 + crypto_hash_sha256_BYTES);
  crypto_hash_sha256(out.data() + 2, data.data(), data.size());
  return Multihash(std::move(out), multicodec::sha2_256, 2);
}

Multihash Multihash::identity(ByteView data) {
  Bytes out;
  append_uvarint(out, multicodec::identity);
  append_uvarint(out, data.size());
  const std::size_t header = out.size();
  out.insert(out.end(), data.begin(), data.end());
  return Multihash(std::move(out), multicodec::identity, header);
}

std::string Multihash::to_base58() const {
  return multibase::encode_raw(multibase::Base::base58btc, bytes_);
}

std::size_t hash_bytes(ByteView bytes) {
  return std::hash<std::string_view>{}(
      std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::strong_ordering compare_bytes(ByteView a, ByteView b) {
  const std::size_t n = std::min(a.size(), b.size());
  if (n > 0) {
    const int c = std::memcmp(a.data(), b.data(), n);
    if (c != 0) return c < 0 ? std::strong_ordering::less : std::strong_ordering::greater;
  }
  return a.size() <=> b.size();
}

}  // namespace cf::multiformats
