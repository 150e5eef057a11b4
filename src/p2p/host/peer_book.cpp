#include "cf/p2p/host/peer_book.hpp"

#include <algorithm>

#include "cf/p2p/transport/tcp.hpp"

namespace cf::p2p {

namespace mf = cf::multiformats;

bool PeerRecord::supports(std::string_view protocol) const {
  if (!identify) return false;
  const auto& list = identify->protocols;
  return std::find(list.begin(), list.end(), protocol) != list.end();
}

std::vector<mf::Multiaddr> PeerRecord::dial_addresses() const {
  std::vector<mf::Multiaddr> out = configured;
  for (const auto& address : announced) {
    if (std::find(out.begin(), out.end(), address) == out.end()) out.push_back(address);
  }
  return out;
}

const PeerRecord* PeerBook::find(const mf::PeerId& peer) const {
  auto it = peers_.find(peer);
  return it == peers_.end() ? nullptr : &it->second;
}

void PeerBook::add_configured(const mf::PeerId& peer, const mf::Multiaddr& address) {
  auto& list = peers_[peer].configured;
  if (std::find(list.begin(), list.end(), address) == list.end()) list.push_back(address);
}

void PeerBook::set_identified(const mf::PeerId& peer, IdentifyFacts facts) {
  auto& record = peers_[peer];
  record.announced.clear();
  for (const auto& address : facts.listen_addrs) {
    if (record.announced.size() >= max_announced) break;
    auto bare = address.without_peer_id();
    if (bare.empty() || !transport::tcp_target(bare)) continue;
    auto full = bare.with_peer_id(peer);
    if (std::find(record.announced.begin(), record.announced.end(), full) == record.announced.end()) {
      record.announced.push_back(std::move(full));
    }
  }
  record.identify = std::move(facts);
}

void PeerBook::forget_unless_configured(const mf::PeerId& peer) {
  auto it = peers_.find(peer);
  if (it != peers_.end() && it->second.configured.empty()) peers_.erase(it);
}

}  // namespace cf::p2p
