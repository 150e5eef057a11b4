// Peer ID parsing and printing (libp2p/specs peer-ids/peer-ids.md "String representation";
// go-libp2p core/peer/peer.go Decode, IDFromPublicKey, ExtractPublicKey; go-multiaddr p2pVal).
#include "cf/multiformats/peer_id.hpp"

#include <algorithm>
#include <optional>

#include <fmt/format.h>

#include "cf/multiformats/errc.hpp"
#include "cf/multiformats/multibase.hpp"
#include "cf/multiformats/multicodec.hpp"

namespace cf::multiformats {
namespace {

// The serialized Ed25519 PublicKey header: field 1 (Type) = 1, field 2 (Data) length 32.
constexpr std::array<std::uint8_t, 4> ed25519_public_key_header{0x08, 0x01, 0x12, 0x20};

}  // namespace

Result<PeerId> PeerId::from_multihash(Multihash hash) {
  if (hash.code() == multicodec::identity) return PeerId(std::move(hash));
  if (hash.code() == multicodec::sha2_256 && hash.digest().size() == 32) {
    return PeerId(std::move(hash));
  }
  return Error(errc::invalid_peer_id,
               "peer ID multihash " + to_hex(hash.bytes()) +
                   " is neither identity nor sha2-256 with a 32-byte digest");
}

Result<PeerId> PeerId::from_bytes(ByteView bytes) {
  auto hash = Multihash::from_bytes(bytes);
  if (!hash) return Error(errc::invalid_peer_id, "peer ID bytes: " + hash.error().message());
  return from_multihash(std::move(*hash));
}

PeerId PeerId::from_public_key_proto(ByteView public_key_proto) {
  if (public_key_proto.size() <= max_inline_key_size) {
    return PeerId(Multihash::identity(public_key_proto));
  }
  return PeerId(Multihash::sha2_256(public_key_proto));
}

Result<PeerId> PeerId::parse(std::string_view text) {
  const std::string quoted = "peer ID \"" + std::string(text) + "\"";
  if (text.starts_with("Qm") || text.starts_with("1")) {
    auto bytes = multibase::decode_raw(multibase::Base::base58btc, text);
    if (!bytes) return Error(errc::invalid_peer_id, quoted + ": " + bytes.error().message());
    auto id = from_bytes(*bytes);
    if (!id) return Error(errc::invalid_peer_id, quoted + ": " + id.error().message());
    return id;
  }
  auto cid = Cid::parse(text);
  if (!cid) return Error(errc::invalid_peer_id, quoted + ": " + cid.error().message());
  if (cid->version() != 1 || cid->codec() != multicodec::libp2p_key) {
    return Error(errc::invalid_peer_id,
                 quoted + fmt::format(": a CIDv{} with codec 0x{:x} is not a libp2p-key (0x72) CIDv1",
                                          cid->version(), cid->codec()));
  }
  auto id = from_multihash(cid->hash());
  if (!id) return Error(errc::invalid_peer_id, quoted + ": " + id.error().message());
  return id;
}

std::string PeerId::to_string() const { return hash_.to_base58(); }

Cid PeerId::to_cid() const { return Cid::v1(multicodec::libp2p_key, hash_); }

std::string PeerId::to_cid_string() const { return to_cid().to_string(); }

std::optional<Bytes> PeerId::public_key_proto() const {
  if (hash_.code() != multicodec::identity) return std::nullopt;
  auto d = hash_.digest();
  return Bytes(d.begin(), d.end());
}

Result<std::array<std::uint8_t, 32>> PeerId::extract_ed25519_public_key() const {
  if (hash_.code() != multicodec::identity) {
    return Error(errc::invalid_peer_id,
                 "peer ID " + to_string() + " hashes its key; the key cannot be extracted");
  }
  const auto d = hash_.digest();
  if (d.size() != ed25519_public_key_header.size() + 32 ||
      !std::equal(ed25519_public_key_header.begin(), ed25519_public_key_header.end(), d.begin())) {
    return Error(errc::invalid_peer_id,
                 "peer ID " + to_string() + " does not inline an Ed25519 public key");
  }
  std::array<std::uint8_t, 32> key{};
  std::copy(d.begin() + 4, d.end(), key.begin());
  return key;
}

}  // namespace cf::multiformats
