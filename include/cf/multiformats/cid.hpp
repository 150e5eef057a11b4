// CID (multiformats/cid; facts from go-cid cid.go). CIDv0 is a bare sha2-256 multihash
// (implicitly dag-pb), written in base58btc without a prefix ("Qm…"). CIDv1 is
// uvarint(1) uvarint(codec) multihash, written in multibase, base32 'b' by default.
#pragma once

#include <compare>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/multiformats/multibase.hpp"
#include "cf/multiformats/multicodec.hpp"
#include "cf/multiformats/multihash.hpp"

namespace cf::multiformats {

// A regular value type: version, codec and multihash. Equality and order compare the binary
// form, so a v0 CID and the v1 dag-pb CID of the same hash are different values (as in go-cid).
class Cid {
 public:
  // Text: a 46-character "Qm…" string is v0; anything else is multibase-encoded v1.
  static Result<Cid> parse(std::string_view text);

  // Exactly one binary CID, no trailing bytes.
  static Result<Cid> from_bytes(ByteView bytes);

  // One binary CID at the front of `bytes`; `consumed` receives its length.
  static Result<Cid> read(ByteView bytes, std::size_t& consumed);

  // v0 needs a sha2-256 multihash with a 32-byte digest.
  static Result<Cid> v0(Multihash hash);
  static Cid v1(std::uint64_t codec, Multihash hash);

  int version() const { return version_; }
  std::uint64_t codec() const { return codec_; }
  const Multihash& hash() const { return hash_; }

  // Binary form: the multihash for v0, version + codec + multihash for v1.
  const Bytes& bytes() const { return bytes_; }

  // The same content as CIDv1 (a v1 CID is returned unchanged).
  Cid to_v1() const;

  // v0: base58btc without prefix; v1: multibase base32 ("bafy…").
  std::string to_string() const;
  // bytes() in the given multibase with its prefix; parse() reads it back (a v0 stays v0).
  std::string to_string(multibase::Base base) const;

  friend bool operator==(const Cid& a, const Cid& b) { return a.bytes_ == b.bytes_; }
  friend std::strong_ordering operator<=>(const Cid& a, const Cid& b) {
    return compare_bytes(a.bytes_, b.bytes_);
  }

 private:
  Cid(int version, std::uint64_t codec, Multihash hash);

  Bytes bytes_;
  int version_ = 1;
  std::uint64_t codec_ = multicodec::dag_pb;
  Multihash hash_;
};

}  // namespace cf::multiformats

template <>
struct std::hash<cf::multiformats::Cid> {
  std::size_t operator()(const cf::multiformats::Cid& c) const noexcept {
    return cf::multiformats::hash_bytes(c.bytes());
  }
};
