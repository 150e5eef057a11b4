// Tests for multiaddrs. Vectors: multiformats/go-multiaddr multiaddr_test.go (TestStringToBytes,
// TestBytesToString, TestRoundTrip, TestIPFSvP2P, TestConstructFails, TestInvalidP2PAddrBytes,
// TestInvalidP2PAddrString); [CALC] p2p/dns4/ip6 examples of libp2p-wire.md §1.3; IPv6 text
// from RFC 5952 §4. See tests/vectors/PROVENANCE.md.
#include "cf/multiformats/multiaddr.hpp"

#include <gtest/gtest.h>

#include <unordered_set>

#include "cf/multiformats/errc.hpp"

namespace cf::multiformats {
namespace {

Bytes unhex(std::string_view hex) { return *multibase::decode_raw(multibase::Base::base16, hex); }

void expect_pair(std::string_view text, std::string_view hex) {
  auto from_text = Multiaddr::parse(text);
  ASSERT_TRUE(from_text) << text << ": " << from_text.error().message();
  EXPECT_EQ(to_hex(from_text->bytes()), hex) << text;
  auto from_bytes = Multiaddr::from_bytes(unhex(hex));
  ASSERT_TRUE(from_bytes) << hex << ": " << from_bytes.error().message();
  EXPECT_EQ(from_bytes->to_string(), text) << hex;
  EXPECT_EQ(*from_bytes, *from_text);
}

TEST(Multiaddr, GoStringToBytesVectors) {
  expect_pair("/ip4/127.0.0.1/udp/1234", "047f000001910204d2");
  expect_pair("/ip4/127.0.0.1/tcp/4321", "047f0000010610e1");
  expect_pair("/ip4/127.0.0.1/udp/1234/ip4/127.0.0.1/tcp/4321",
              "047f000001910204d2047f0000010610e1");
}

TEST(Multiaddr, WireBriefExamples) {
  // [CALC] libp2p-wire.md §1.3.
  expect_pair("/ip4/127.0.0.1/tcp/9096/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq",
              "047f000001062388a503260024"
              "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
  expect_pair("/dns4/example.com/tcp/9096", "360b6578616d706c652e636f6d062388");
  expect_pair("/ip6/::1/tcp/9096", "2900000000000000000000000000000001062388");
}

TEST(Multiaddr, GoRoundTrip) {
  for (const char* s : {
           "/unix/a/b/c/d",
           "/ip6/::ffff:127.0.0.1/tcp/111",
           "/ip4/127.0.0.1/tcp/123",
           "/ip4/127.0.0.1/tcp/123/tls",
           "/ip4/127.0.0.1/udp/123",
           "/ip4/127.0.0.1/udp/123/ip6/::",
           "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/"
           "uEiDDq4_xNyDorZBH3TlGazyJdOWSwvo4PUo5YHFMrvDE8g",
           "/p2p/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP",
           "/p2p/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP/unix/a/b/c",
       }) {
    auto m = Multiaddr::parse(s);
    ASSERT_TRUE(m) << s << ": " << m.error().message();
    EXPECT_EQ(m->to_string(), s);
    auto again = Multiaddr::from_bytes(m->bytes());
    ASSERT_TRUE(again) << s << ": " << again.error().message();
    EXPECT_EQ(*again, *m);
  }
}

TEST(Multiaddr, MoreProtocolsRoundTrip) {
  for (const char* s : {
           "/dns/example.com/tcp/443/wss",
           "/dns6/example.com/tcp/80/ws",
           "/dnsaddr/bootstrap.libp2p.io",
           "/ip4/1.2.3.4/udp/4001/quic",
           "/ip4/1.2.3.4/udp/4001/quic-v1/p2p/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP/"
           "p2p-circuit",
           "/ip6zone/eth0/ip6/fe80::1/tcp/1",
           "/ip4/1.2.3.4/tcp/1/tls/sni/example.com/http",
           "/ip4/1.2.3.4/tcp/1/noise",
           "/ip4/1.2.3.4/udp/1/webrtc-direct",
           "/ip4/0.0.0.0/tcp/0",
           "/ip4/255.255.255.255/tcp/65535",
       }) {
    auto m = Multiaddr::parse(s);
    ASSERT_TRUE(m) << s << ": " << m.error().message();
    EXPECT_EQ(m->to_string(), s);
    EXPECT_EQ(Multiaddr::from_bytes(m->bytes())->to_string(), s);
  }
}

TEST(Multiaddr, Ipv6TextIsCanonical) {
  // RFC 5952 §4 rules, as Go's net.IP prints them.
  const std::vector<std::pair<const char*, const char*>> cases{
      {"/ip6/2001:0db8:0000:0000:0000:0000:0000:0001", "/ip6/2001:db8::1"},
      {"/ip6/2001:db8:0:1:1:1:1:1", "/ip6/2001:db8:0:1:1:1:1:1"},
      {"/ip6/2001:db8:0:0:1:0:0:1", "/ip6/2001:db8::1:0:0:1"},
      {"/ip6/2001:DB8::AB", "/ip6/2001:db8::ab"},
      {"/ip6/0:0:0:0:0:0:0:0", "/ip6/::"},
      {"/ip6/1::", "/ip6/1::"},
      {"/ip6/::ffff:1.2.3.4", "/ip6/::ffff:1.2.3.4"},
  };
  for (const auto& [in, out] : cases) {
    auto m = Multiaddr::parse(in);
    ASSERT_TRUE(m) << in;
    EXPECT_EQ(m->to_string(), out) << in;
  }
}

TEST(Multiaddr, IpfsReadsAsP2p) {
  // go-multiaddr TestIPFSvP2P.
  const char* p2p = "/p2p/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP";
  auto a = Multiaddr::parse(p2p);
  auto b = Multiaddr::parse("/ipfs/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP");
  ASSERT_TRUE(a);
  ASSERT_TRUE(b);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(b->to_string(), p2p);
  EXPECT_EQ(b->components().front().name, "p2p");
}

TEST(Multiaddr, TrailingSlashIsTrimmed) {
  EXPECT_EQ(Multiaddr::parse("/ip4/1.2.3.4/tcp/1/")->to_string(), "/ip4/1.2.3.4/tcp/1");
  EXPECT_EQ(Multiaddr::parse("/unix/a/b/")->to_string(), "/unix/a/b");
}

TEST(Multiaddr, PeerIdInCidFormIsPrintedInBase58) {
  auto m = Multiaddr::parse(
      "/ip4/1.2.3.4/tcp/1/p2p/bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzyt6");
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->to_string(),
            "/ip4/1.2.3.4/tcp/1/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
}

TEST(Multiaddr, GoConstructFails) {
  for (const char* s : {
           "/ip4",
           "/ip4/::1",
           "/ip4/fdpsofodsajfdoisa",
           "/ip6",
           "/ip6zone",
           "/ip6zone/",
           "/ip6zone//ip6/fe80::1",
           "/udp",
           "/tcp",
           "/sctp",
           "/udp/65536",
           "/tcp/65536",
           "/quic/65536",
           "/quic-v1/65536",
           "/onion/timaq4ygg2iegci7:80",
           "/udp/1234/sctp",
           "/udp/1234/udt/1234",
           "/udp/1234/utp/1234",
           "/ip4/127.0.0.1/udp/jfodsajfidosajfoidsa",
           "/ip4/127.0.0.1/udp",
           "/ip4/127.0.0.1/tcp/jfodsajfidosajfoidsa",
           "/ip4/127.0.0.1/tcp",
           "/ip4/127.0.0.1/quic/1234",
           "/ip4/127.0.0.1/quic-v1/1234",
           "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash",
           "/ip4/127.0.0.1/udp/1234/quic-v1/webtransport/certhash/b2uaraocy6yrdblb4sfptaddgimjmmp",
           "/ip4/127.0.0.1/ipfs",
           "/ip4/127.0.0.1/ipfs/tcp",
           "/ip4/127.0.0.1/p2p",
           "/ip4/127.0.0.1/p2p/tcp",
           "/unix",
           "/ip4/1.2.3.4/tcp/80/unix",
           "/ip4/1.2.3.4/tcp/-1",
           "/ip4/127.0.0.1/tcp/9090/http/p2p-webcrt-direct",
           "/",
           "",
           "/p2p/QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY",
           // go-multiaddr TestInvalidP2PAddrString (the first two; the others are base36).
           "/p2p/k2k4r8oqamigqdo6o7hsbfwd45y70oyynp98usk7zmyfrzpqxh1pohl-",
           "/p2p/?unknownmultibase",
           // Ours: not starting with '/', a CID of the wrong codec, a leading-zero IPv4.
           "ip4/1.2.3.4",
           "/p2p/bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
           "/ip4/01.2.3.4",
           "/tcp/+1",
       }) {
    EXPECT_FALSE(Multiaddr::parse(s)) << s;
  }
}

TEST(Multiaddr, ErrorsNameTheComponentAndTheInput) {
  auto r = Multiaddr::parse("/ip4/1.2.3.4/tcpx/1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::unknown_protocol);
  EXPECT_EQ(r.error().message(), "multiaddr \"/ip4/1.2.3.4/tcpx/1\": unknown protocol \"tcpx\"");
  auto port = Multiaddr::parse("/ip4/1.2.3.4/tcp/70000");
  ASSERT_FALSE(port);
  EXPECT_EQ(port.error(), errc::invalid_multiaddr);
  EXPECT_NE(port.error().message().find("\"70000\""), std::string::npos);
  EXPECT_NE(port.error().message().find("/ip4/1.2.3.4/tcp/70000"), std::string::npos);
  auto missing = Multiaddr::parse("/ip4/1.2.3.4/tcp");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message().find("\"tcp\" needs a value"), std::string::npos);
}

TEST(Multiaddr, RejectsBadBytes) {
  // go-multiaddr TestInvalidP2PAddrBytes: the multihash claims 33 bytes, 32 follow.
  EXPECT_EQ(Multiaddr::from_bytes(unhex("a503221221c05877cbae039d70a5e600ea02c6f9f2942439285c9e3"
                                        "44e26f8d280c850fad6"))
                .error(),
            errc::invalid_multiaddr);
  auto unknown = Multiaddr::from_bytes(unhex("e707"));  // code 999
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error(), errc::unknown_protocol);
  EXPECT_NE(unknown.error().message().find("999"), std::string::npos);
  EXPECT_EQ(Multiaddr::from_bytes({}).error(), errc::invalid_multiaddr);
  EXPECT_EQ(Multiaddr::from_bytes(unhex("047f0000")).error(), errc::truncated);
  EXPECT_EQ(Multiaddr::from_bytes(unhex("047f0000010610")).error(), errc::truncated);
  EXPECT_EQ(Multiaddr::from_bytes(unhex("a503")).error(), errc::truncated);
  EXPECT_EQ(Multiaddr::from_bytes(unhex("a50326")).error(), errc::truncated);
  EXPECT_EQ(Multiaddr::from_bytes(unhex("3500")).error(), errc::invalid_multiaddr);  // empty dns
  EXPECT_EQ(Multiaddr::from_bytes(unhex("3503612f62")).error(), errc::invalid_multiaddr);  // a/b
  EXPECT_EQ(Multiaddr::from_bytes(unhex("8100")).error(), errc::invalid_multiaddr);  // varint
  EXPECT_EQ(Multiaddr::from_bytes(unhex("358000")).error(), errc::invalid_multiaddr);  // length
}

TEST(Multiaddr, ComponentsAndPeerId) {
  const char* text =
      "/ip4/127.0.0.1/tcp/9096/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
  auto m = Multiaddr::parse(text);
  ASSERT_TRUE(m);
  const auto parts = m->components();
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0].name, "ip4");
  EXPECT_EQ(parts[0].value, "127.0.0.1");
  EXPECT_EQ(to_hex(parts[0].raw), "7f000001");
  EXPECT_EQ(parts[1].code, protocol_code::tcp);
  EXPECT_EQ(parts[1].value, "9096");
  EXPECT_EQ(parts[2].name, "p2p");
  EXPECT_EQ(parts[2].value, "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
  auto id = m->peer_id();
  ASSERT_TRUE(id);
  EXPECT_EQ(id->to_string(), "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
  const auto bare = m->without_peer_id();
  EXPECT_EQ(bare.to_string(), "/ip4/127.0.0.1/tcp/9096");
  EXPECT_FALSE(bare.peer_id());
  EXPECT_EQ(bare.without_peer_id(), bare);
  EXPECT_EQ(bare.with_peer_id(*id), *m);
  EXPECT_EQ(bare.with_peer_id(*id).to_string(), text);
}

TEST(Multiaddr, PeerIdIsTheTrailingP2pComponent) {
  auto relayed = Multiaddr::parse(
      "/ip4/1.2.3.4/tcp/1/p2p/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP/p2p-circuit/p2p/"
      "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
  ASSERT_TRUE(relayed);
  EXPECT_EQ(relayed->peer_id()->to_string(),
            "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
  EXPECT_EQ(relayed->without_peer_id().to_string(),
            "/ip4/1.2.3.4/tcp/1/p2p/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP/p2p-circuit");
  // A relay address without a target ends in p2p-circuit: no peer ID.
  EXPECT_FALSE(relayed->without_peer_id().peer_id());
  // A bare /p2p address leaves an empty one.
  auto only = Multiaddr::parse("/p2p/QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP");
  ASSERT_TRUE(only);
  EXPECT_TRUE(only->without_peer_id().empty());
}

TEST(Multiaddr, UnixPathComponent) {
  auto m = Multiaddr::parse("/unix/tmp/ipfs.sock");
  ASSERT_TRUE(m);
  const auto parts = m->components();
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].value, "/tmp/ipfs.sock");
  // unix = code 400 (90 03), then the 14-byte path with its length prefix.
  EXPECT_EQ(to_hex(m->bytes()), "90030e" + to_hex(as_bytes("/tmp/ipfs.sock")));
}

TEST(Multiaddr, IsARegularValue) {
  const auto a = *Multiaddr::parse("/ip4/127.0.0.1/tcp/1");
  const auto b = *Multiaddr::parse("/ip4/127.0.0.1/tcp/2");
  std::unordered_set<Multiaddr> set{a, b, a};
  EXPECT_EQ(set.size(), 2u);
  EXPECT_TRUE(a < b);
}

}  // namespace
}  // namespace cf::multiformats
