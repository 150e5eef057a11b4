// What the host knows about peers: the addresses to dial them at (configured ones, e.g. the
// template's peer_addresses, first; then the TCP listen addresses they announced in identify)
// and what identify told us (protocols, agent, key). go-libp2p keeps this in its peerstore;
// without a DHT (libp2p-wire.md §9) identify is how we learn a trusted peer's new addresses.
// Bounds: at most max_announced announced addresses per peer, and records of peers that are
// neither configured nor connected are forgotten on disconnect (the host calls forget()), so
// the book grows with configured peers and live connections only.
// Owned by the Host; used on its executor only.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/multiformats/multiaddr.hpp"
#include "cf/multiformats/peer_id.hpp"

namespace cf::p2p {

// What identify reported; the host layer does not depend on the identify codec.
struct IdentifyFacts {
  std::vector<std::string> protocols;
  std::vector<multiformats::Multiaddr> listen_addrs;
  std::optional<std::string> agent_version;
  std::optional<std::string> protocol_version;
  std::optional<Bytes> public_key;
};

struct PeerRecord {
  std::vector<multiformats::Multiaddr> configured;  // with /p2p/<id>; kept for the host's life
  std::vector<multiformats::Multiaddr> announced;   // dialable TCP listen addrs, with /p2p/<id>
  std::optional<IdentifyFacts> identify;            // the latest identify, if any

  bool supports(std::string_view protocol) const;
  // configured, then announced, without duplicates.
  std::vector<multiformats::Multiaddr> dial_addresses() const;
};

class PeerBook {
 public:
  static constexpr std::size_t max_announced = 16;

  const PeerRecord* find(const multiformats::PeerId& peer) const;
  // `address` must end in /p2p/<peer>.
  void add_configured(const multiformats::PeerId& peer, const multiformats::Multiaddr& address);
  // Stores the facts; keeps at most max_announced announced addresses that can be dialed over
  // TCP (relay, websocket, QUIC and unparsable ones are left out).
  void set_identified(const multiformats::PeerId& peer, IdentifyFacts facts);
  // Drops a peer that has no configured address (called when its last connection closed).
  void forget_unless_configured(const multiformats::PeerId& peer);
  std::size_t size() const { return peers_.size(); }

 private:
  std::map<multiformats::PeerId, PeerRecord> peers_;
};

}  // namespace cf::p2p
