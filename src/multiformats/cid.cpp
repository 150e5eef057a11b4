// CID parsing and printing (multiformats/cid spec; go-cid cid.go Decode, CidFromBytes, String).
#include "cf/multiformats/cid.hpp"

#include "cf/multiformats/errc.hpp"
#include "cf/multiformats/varint.hpp"

namespace cf::multiformats {
namespace {

constexpr std::size_t v0_text_size = 46;
constexpr std::size_t v0_binary_size = 34;

}  // namespace

Cid::Cid(int version, std::uint64_t codec, Multihash hash)
    : version_(version), codec_(codec), hash_(std::move(hash)) {
  if (version_ == 0) {
    bytes_ = hash_.bytes();
  } else {
    append_uvarint(bytes_, 1);
    append_uvarint(bytes_, codec_);
    bytes_.insert(bytes_.end(), hash_.bytes().begin(), hash_.bytes().end());
  }
}

Result<Cid> Cid::v0(Multihash hash) {
  if (hash.code() != multicodec::sha2_256 || hash.digest().size() != 32) {
    return Error(errc::invalid_cid,
                 "a CIDv0 needs a sha2-256 multihash with a 32-byte digest, not " +
                     to_hex(hash.bytes()));
  }
  return Cid(0, multicodec::dag_pb, std::move(hash));
}

Cid Cid::v1(std::uint64_t codec, Multihash hash) { return Cid(1, codec, std::move(hash)); }

Result<Cid> Cid::read(ByteView bytes, std::size_t& consumed) {
  // A v0 CID starts with the sha2-256 multihash header 12 20.
  if (bytes.size() >= 2 && bytes[0] == 0x12 && bytes[1] == 0x20) {
    if (bytes.size() < v0_binary_size) {
      return Error(errc::truncated, "CIDv0 " + to_hex(bytes) + " is shorter than 34 bytes");
    }
    consumed = v0_binary_size;
    CF_TRY_ASSIGN(hash, Multihash::from_bytes(bytes.first(v0_binary_size)));
    return v0(std::move(hash));
  }
  auto version = decode_uvarint(bytes);
  if (!version) return std::move(version.error().wrap("CID version"));
  if (version->value != 1) {
    return Error(errc::invalid_cid,
                 "CID version " + std::to_string(version->value) + " (want 1) in " + to_hex(bytes));
  }
  auto codec = decode_uvarint(bytes.subspan(version->size));
  if (!codec) return std::move(codec.error().wrap("CID codec"));
  const std::size_t header = version->size + codec->size;
  std::size_t hash_size = 0;
  auto hash = Multihash::read(bytes.subspan(header), hash_size);
  if (!hash) return std::move(hash.error().wrap("CID multihash"));
  consumed = header + hash_size;
  return Cid(1, codec->value, std::move(*hash));
}

Result<Cid> Cid::from_bytes(ByteView bytes) {
  std::size_t consumed = 0;
  CF_TRY_ASSIGN(cid, read(bytes, consumed));
  if (consumed != bytes.size()) {
    return Error(errc::invalid_cid, "CID " + to_hex(bytes) + " has " +
                                        std::to_string(bytes.size() - consumed) +
                                        " trailing bytes");
  }
  return cid;
}

Result<Cid> Cid::parse(std::string_view text) {
  auto fail = [&](Error e) { return std::move(e.wrap("CID \"" + std::string(text) + "\"")); };
  if (text.size() < 2) return fail(Error(errc::invalid_cid, "too short"));
  if (text.size() == v0_text_size && text.starts_with("Qm")) {
    auto bytes = multibase::decode_raw(multibase::Base::base58btc, text);
    if (!bytes) return fail(std::move(bytes.error()));
    auto hash = Multihash::from_bytes(*bytes);
    if (!hash) return fail(std::move(hash.error()));
    auto cid = v0(std::move(*hash));
    if (!cid) return fail(std::move(cid.error()));
    return cid;
  }
  auto bytes = multibase::decode(text);
  if (!bytes) return fail(std::move(bytes.error()));
  auto cid = from_bytes(*bytes);
  if (!cid) return fail(std::move(cid.error()));
  return cid;
}

Cid Cid::to_v1() const { return version_ == 1 ? *this : v1(codec_, hash_); }

std::string Cid::to_string() const {
  if (version_ == 0) return hash_.to_base58();
  return multibase::encode(multibase::Base::base32, bytes_);
}

std::string Cid::to_string(multibase::Base base) const { return multibase::encode(base, bytes_); }

}  // namespace cf::multiformats
