// Multihash (multiformats/multihash): uvarint(code) uvarint(digest length) digest.
// Parsing checks that the length field matches the digest; the code is not restricted.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"

namespace cf::multiformats {

// Hash of a byte string, shared by the std::hash specialisations of this layer.
std::size_t hash_bytes(ByteView bytes);

// Lexicographic order of byte strings, shared by the operator<=> of this layer (out of line:
// g++ 12 warns falsely about vector's own <=> under -O3).
std::strong_ordering compare_bytes(ByteView a, ByteView b);

// A regular value type holding the encoded multihash bytes.
class Multihash {
 public:
  // Exactly one multihash, no trailing bytes.
  static Result<Multihash> from_bytes(ByteView bytes);

  // One multihash at the front of `bytes`; `consumed` receives its length.
  static Result<Multihash> read(ByteView bytes, std::size_t& consumed);

  // Builds one from a code and a digest. Like go-multihash, a digest length is not checked
  // against the function (Cid::v0 and PeerId require 32-byte sha2-256 digests).
  static Multihash create(std::uint64_t code, ByteView digest);

  // The sha2-256 multihash of `data` (libsodium crypto_hash_sha256).
  static Multihash sha2_256(ByteView data);

  // The identity multihash: `data` itself as the digest.
  static Multihash identity(ByteView data);

  std::uint64_t code() const { return code_; }
  ByteView digest() const { return ByteView(bytes_).subspan(digest_offset_); }
  const Bytes& bytes() const { return bytes_; }

  // base58btc of the bytes (the legacy text form of CIDv0s and peer IDs).
  std::string to_base58() const;

  friend bool operator==(const Multihash& a, const Multihash& b) { return a.bytes_ == b.bytes_; }
  friend std::strong_ordering operator<=>(const Multihash& a, const Multihash& b) {
    return compare_bytes(a.bytes_, b.bytes_);
  }

 private:
  Multihash(Bytes bytes, std::uint64_t code, std::size_t digest_offset)
      : bytes_(std::move(bytes)), code_(code), digest_offset_(digest_offset) {}

  Bytes bytes_;
  std::uint64_t code_ = 0;
  std::size_t digest_offset_ = 0;
};


}  // namespace cf::multiformats

template <>
struct std::hash<cf::multiformats::Multihash> {
  std::size_t operator()(const cf::multiformats::Multihash& m) const noexcept {
    return cf::multiformats::hash_bytes(m.bytes());
  }
};
