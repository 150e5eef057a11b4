#include "cf/p2p/host/peer_book.hpp"

#include <gtest/gtest.h>

#include "cf/identity/identity.hpp"

namespace cf::p2p {
namespace {

namespace mf = cf::multiformats;

mf::Multiaddr ma(const std::string& text) { return *mf::Multiaddr::parse(text); }

TEST(PeerBook, ConfiguredFirstThenDialableAnnouncedAddresses) {
  PeerBook book;
  const auto peer = identity::Identity::generate().id();
  const auto configured = ma("/dns4/peer.example/tcp/9096").with_peer_id(peer);
  book.add_configured(peer, configured);
  book.add_configured(peer, configured);  // once only
  IdentifyFacts facts;
  facts.protocols = {"/meshsub/1.2.0"};
  facts.listen_addrs = {ma("/ip4/10.0.0.5/tcp/9096"), ma("/ip4/10.0.0.5/udp/9096/quic-v1"),
                        ma("/ip4/10.0.0.5/tcp/9097/ws"), ma("/ip4/10.0.0.5/tcp/9096")};
  book.set_identified(peer, facts);
  const auto* record = book.find(peer);
  ASSERT_NE(record, nullptr);
  EXPECT_TRUE(record->supports("/meshsub/1.2.0"));
  EXPECT_FALSE(record->supports("/ipfs/bitswap/1.2.0"));
  EXPECT_EQ(record->dial_addresses(),
            (std::vector<mf::Multiaddr>{configured, ma("/ip4/10.0.0.5/tcp/9096").with_peer_id(peer)}))
      << "QUIC and websocket left out, duplicates once, each with /p2p";
}

TEST(PeerBook, AnnouncedAddressesAreBounded) {
  PeerBook book;
  const auto peer = identity::Identity::generate().id();
  IdentifyFacts facts;
  for (int port = 1000; port < 1100; ++port) facts.listen_addrs.push_back(ma("/ip4/10.0.0.1/tcp/" + std::to_string(port)));
  book.set_identified(peer, facts);
  EXPECT_EQ(book.find(peer)->announced.size(), PeerBook::max_announced);
}

TEST(PeerBook, OnlyPeersWithoutConfiguredAddressesAreForgotten) {
  PeerBook book;
  const auto kept = identity::Identity::generate().id();
  const auto passing = identity::Identity::generate().id();
  book.add_configured(kept, ma("/ip4/127.0.0.1/tcp/1").with_peer_id(kept));
  book.set_identified(kept, {});
  book.set_identified(passing, {});
  book.forget_unless_configured(kept);
  book.forget_unless_configured(passing);
  EXPECT_NE(book.find(kept), nullptr);
  EXPECT_EQ(book.find(passing), nullptr);
  EXPECT_EQ(book.size(), 1u);
}

}  // namespace
}  // namespace cf::p2p
