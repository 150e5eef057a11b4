// Identify protobuf conversion through the generated identify.pb.h, which stays in this file
// (go-libp2p v0.48 p2p/protocol/identify/id.go createBaseIdentifyResponse, consumeMessage).
#include "cf/p2p/identify/identify.hpp"

#include <limits>

#include "cf/base/version.hpp"
#include "cf/identity/keys.hpp"
#include "cf/p2p/identify/errc.hpp"
#include "identify.pb.h"

namespace cf::p2p::identify {
namespace {

namespace mf = cf::multiformats;

Bytes bytes_of(const std::string& s) { return Bytes(s.begin(), s.end()); }

Status check_public_key(const Bytes& public_key, const mf::PeerId& remote) {
  auto key = identity::decode_public_key(public_key);
  if (!key) return Error(errc::invalid_public_key, key.error().message());
  // The peer ID comes from the re-encoded key, never from the received bytes.
  const auto id = mf::PeerId::from_public_key_proto(identity::encode_public_key(*key));
  if (id != remote) {
    return Error(errc::peer_id_mismatch,
                 "identify key of " + id.to_string() + " on a connection to " + remote.to_string());
  }
  return ok();
}

void fill_from(const pb::Identify& m, DecodedIdentify& out) {
  IdentifyInfo& info = out.info;
  if (m.has_protocolversion()) info.protocol_version = m.protocolversion();
  if (m.has_agentversion()) info.agent_version = m.agentversion();
  if (m.has_publickey()) info.public_key = bytes_of(m.publickey());
  if (m.has_signedpeerrecord()) info.signed_peer_record = bytes_of(m.signedpeerrecord());
  info.protocols.assign(m.protocols().begin(), m.protocols().end());
  for (const std::string& raw : m.listenaddrs()) {
    auto addr = mf::Multiaddr::from_bytes(as_bytes(raw));
    if (addr && !addr->empty()) {
      info.listen_addrs.push_back(std::move(*addr));
    } else {
      ++out.dropped_listen_addrs;
    }
  }
  if (m.has_observedaddr() && !m.observedaddr().empty()) {
    auto addr = mf::Multiaddr::from_bytes(as_bytes(m.observedaddr()));
    if (addr && !addr->empty()) {
      info.observed_addr = std::move(*addr);
    } else {
      out.dropped_observed_addr = true;
    }
  }
}

}  // namespace

Bytes encode_identify(const IdentifyInfo& info) {
  pb::Identify m;
  if (info.public_key) m.set_publickey(info.public_key->data(), info.public_key->size());
  for (const auto& addr : info.listen_addrs) {
    m.add_listenaddrs(addr.bytes().data(), addr.bytes().size());
  }
  for (const auto& p : info.protocols) m.add_protocols(p);
  if (info.observed_addr) {
    m.set_observedaddr(info.observed_addr->bytes().data(), info.observed_addr->bytes().size());
  }
  if (info.protocol_version) m.set_protocolversion(*info.protocol_version);
  if (info.agent_version) m.set_agentversion(*info.agent_version);
  if (info.signed_peer_record) {
    m.set_signedpeerrecord(info.signed_peer_record->data(), info.signed_peer_record->size());
  }
  std::string out;
  m.SerializeToString(&out);
  return bytes_of(out);
}

Result<DecodedIdentify> decode_identify(ByteView message,
                                        const std::optional<mf::PeerId>& remote) {
  pb::Identify m;
  if (message.size() > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
      !m.ParseFromArray(message.data(), static_cast<int>(message.size()))) {
    return Error(errc::invalid_message,
                 "not an Identify protobuf (" + std::to_string(message.size()) + " bytes)");
  }
  DecodedIdentify out;
  fill_from(m, out);
  if (remote && out.info.public_key) CF_TRY(check_public_key(*out.info.public_key, *remote));
  return out;
}

std::string agent_version() { return "cluster-follow/" + std::string(cf::version); }

IdentifyInfo own_identify(Bytes public_key, std::vector<std::string> protocols,
                          std::vector<mf::Multiaddr> listen_addrs,
                          std::optional<mf::Multiaddr> observed_addr) {
  IdentifyInfo info;
  info.protocol_version = std::string(our_protocol_version);
  info.agent_version = agent_version();
  info.public_key = std::move(public_key);
  info.protocols = std::move(protocols);
  info.listen_addrs = std::move(listen_addrs);
  info.observed_addr = std::move(observed_addr);
  while (!info.listen_addrs.empty() && encode_identify(info).size() > max_own_message_size) {
    info.listen_addrs.pop_back();
  }
  return info;
}

}  // namespace cf::p2p::identify
