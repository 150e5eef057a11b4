// The Identify message (/ipfs/id/1.0.0 and /ipfs/id/push/1.0.0; libp2p/specs
// identify/README.md; go-libp2p v0.48 p2p/protocol/identify/pb/identify.proto and id.go).
// Fields: publicKey=1, listenAddrs=2 (binary multiaddrs), protocols=3, observedAddr=4,
// protocolVersion=5, agentVersion=6, signedPeerRecord=8 (a signed envelope, kept as bytes and
// not verified). Encoding is protobuf field order, as go writes it.
// Decoding follows go's consumeMessage: unparsable listenAddrs are dropped one by one and an
// unparsable observedAddr is ignored, not fatal (libp2p-wire.md §1.2). Divergence: go only
// logs a publicKey that does not match the connection's peer; decode_identify fails with
// errc::peer_id_mismatch (or errc::invalid_public_key) when given the remote peer ID.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/multiformats/multiaddr.hpp"
#include "cf/multiformats/peer_id.hpp"

namespace cf::p2p::identify {

inline constexpr std::string_view protocol_id = "/ipfs/id/1.0.0";
inline constexpr std::string_view push_protocol_id = "/ipfs/id/push/1.0.0";
// Our protocolVersion (go does not check the peer's).
inline constexpr std::string_view our_protocol_version = "ipfs/0.1.0";
// go's maxOwnIdentifyMsgSize: own messages stay under it (listen addrs are trimmed).
inline constexpr std::size_t max_own_message_size = 4 * 1024;
// go's legacyIDSize: a bigger message with a signed record is sent in two frames.
inline constexpr std::size_t legacy_message_size = 2 * 1024;

// The protocols a follower lists (libp2p-wire.md §0.1). Push is deliberately absent (§6.2).
inline constexpr std::array<std::string_view, 5> follower_protocols = {
    "/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/meshsub/1.2.0", "/meshsub/1.1.0",
    "/ipfs/bitswap/1.2.0"};

// One peer's self-description. Optional fields are absent from the wire when unset.
struct IdentifyInfo {
  std::optional<std::string> protocol_version;
  std::optional<std::string> agent_version;
  std::optional<Bytes> public_key;  // a serialized libp2p PublicKey protobuf
  std::vector<multiformats::Multiaddr> listen_addrs;
  std::optional<multiformats::Multiaddr> observed_addr;  // the receiver's address as seen
  std::vector<std::string> protocols;
  std::optional<Bytes> signed_peer_record;

  friend bool operator==(const IdentifyInfo&, const IdentifyInfo&) = default;
};

struct DecodedIdentify {
  IdentifyInfo info;
  std::size_t dropped_listen_addrs = 0;  // listenAddrs that did not parse
  bool dropped_observed_addr = false;    // observedAddr was present but did not parse
};

// The protobuf body, no length prefix.
Bytes encode_identify(const IdentifyInfo& info);

// Decodes one Identify protobuf (or several concatenated, which protobuf merges). When
// `remote` is given, a publicKey must be a PublicKey protobuf whose peer ID is `remote`.
// Errors: errc::invalid_message, errc::invalid_public_key, errc::peer_id_mismatch.
Result<DecodedIdentify> decode_identify(
    ByteView message, const std::optional<multiformats::PeerId>& remote = std::nullopt);

// "cluster-follow/<version>".
std::string agent_version();

// Our own message: our_protocol_version, agent_version(), `public_key` (serialized PublicKey
// protobuf), `protocols`, and the listen addrs that fit in max_own_message_size (later ones
// are dropped first, like go's trimHostAddrList).
IdentifyInfo own_identify(Bytes public_key, std::vector<std::string> protocols,
                          std::vector<multiformats::Multiaddr> listen_addrs,
                          std::optional<multiformats::Multiaddr> observed_addr);

}  // namespace cf::p2p::identify
