// Block verification (see verify.hpp for the rules it follows).
#include "cf/p2p/bitswap/verify.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include <sodium.h>

#include "cf/multiformats/multicodec.hpp"
#include "cf/multiformats/varint.hpp"
#include "cf/p2p/bitswap/errc.hpp"

namespace cf::p2p::bitswap {
namespace {

namespace mf = cf::multiformats;

// boxo verifcid DefaultMinDigestSize: shorter (truncated) digests are not accepted.
constexpr std::size_t min_digest_size = 20;

std::string code_text(std::uint64_t code) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(code));
  return buf;
}

// The full digest size of a function we compute, 0 for one we do not (identity aside).
std::size_t digest_size(std::uint64_t code) {
  switch (code) {
    case hash_code::sha2_256: return crypto_hash_sha256_BYTES;
    case hash_code::sha2_512: return crypto_hash_sha512_BYTES;
    case hash_code::blake2b_256: return 32;
    default: return 0;
  }
}

// The multihash of `data` under `code`, its digest truncated to `length`.
Result<mf::Multihash> compute(std::uint64_t code, std::uint64_t length, ByteView data) {
  if (code == hash_code::identity) return mf::Multihash::identity(data);
  CF_TRY(check_hash(code, length));
  const std::size_t full = digest_size(code);
  [[maybe_unused]] static const int sodium_ready = sodium_init();
  std::uint8_t digest[crypto_hash_sha512_BYTES];
  switch (code) {
    case hash_code::sha2_256: crypto_hash_sha256(digest, data.data(), data.size()); break;
    case hash_code::sha2_512: crypto_hash_sha512(digest, data.data(), data.size()); break;
    default: crypto_generichash(digest, full, data.data(), data.size(), nullptr, 0); break;
  }
  return mf::Multihash::create(code, ByteView(digest, static_cast<std::size_t>(length)));
}

}  // namespace

Status check_hash(std::uint64_t code, std::uint64_t digest_length) {
  if (code == hash_code::identity) return ok();
  const std::size_t full = digest_size(code);
  if (full == 0) {
    return Error(errc::unsupported_hash, "multihash function " + code_text(code) + " is not supported");
  }
  if (digest_length < min_digest_size || digest_length > full) {
    return Error(errc::invalid_digest_length,
                 "a " + std::to_string(digest_length) + "-byte digest for " + code_text(code) +
                     " (allowed " + std::to_string(min_digest_size) + " to " +
                     std::to_string(full) + ")");
  }
  return ok();
}

Bytes cid_prefix(const mf::Cid& cid) {
  Bytes out;
  mf::append_uvarint(out, static_cast<std::uint64_t>(cid.version()));
  mf::append_uvarint(out, cid.codec());
  mf::append_uvarint(out, cid.hash().code());
  mf::append_uvarint(out, cid.hash().digest().size());
  return out;
}

Result<CidPrefix> parse_prefix(ByteView bytes) {
  std::uint64_t values[4];
  std::size_t pos = 0;
  for (auto& value : values) {
    auto v = mf::decode_uvarint(bytes.subspan(pos));
    if (!v) {
      return Error(errc::invalid_prefix, "prefix of " + std::to_string(bytes.size()) +
                                             " bytes: " + v.error().code().message());
    }
    value = v->value;
    pos += v->size;
  }
  if (pos != bytes.size()) {
    return Error(errc::invalid_prefix,
                 "prefix has " + std::to_string(bytes.size() - pos) + " trailing bytes");
  }
  const CidPrefix p{values[0], values[1], values[2], values[3]};
  if (p.version == 0) {
    if (p.codec != mf::multicodec::dag_pb || p.hash_code != hash_code::sha2_256 ||
        p.digest_length != 32) {
      return Error(errc::invalid_prefix, "a CIDv0 prefix must be dag-pb sha2-256 with 32 bytes");
    }
  } else if (p.version != 1) {
    return Error(errc::invalid_prefix, "CID version " + std::to_string(p.version));
  }
  return p;
}

Result<mf::Cid> verify_block(ByteView prefix, ByteView data) {
  CF_TRY_ASSIGN(p, parse_prefix(prefix));
  CF_TRY_ASSIGN(hash, compute(p.hash_code, p.digest_length, data));
  if (p.version == 0) return mf::Cid::v0(std::move(hash));
  return mf::Cid::v1(p.codec, std::move(hash));
}

Status verify_block(const mf::Cid& cid, ByteView data) {
  const auto& expected = cid.hash();
  CF_TRY_ASSIGN(hash, compute(expected.code(), expected.digest().size(), data));
  if (hash != expected) {
    return Error(errc::hash_mismatch, std::to_string(data.size()) + " bytes do not hash to " +
                                          cid.to_string());
  }
  return ok();
}

}  // namespace cf::p2p::bitswap
