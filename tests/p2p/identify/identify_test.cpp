// Identify message encoding and decoding. The key and peer ID are the libp2p/specs
// peer-ids.md Ed25519 test vector; multiaddr bytes follow go-multiaddr's TestStringToBytes and
// libp2p-wire.md §1.3. The whole-message hex is [CALC]: protobuf field order by hand.
#include "cf/p2p/identify/identify.hpp"

#include <gtest/gtest.h>

#include "cf/base/version.hpp"
#include "cf/p2p/identify/errc.hpp"

namespace cf::p2p::identify {
namespace {

namespace mf = cf::multiformats;

Bytes from_hex(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

constexpr std::string_view spec_public_key =
    "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
constexpr std::string_view spec_peer_id = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";

mf::Multiaddr addr(std::string_view text) { return *mf::Multiaddr::parse(text); }
mf::PeerId peer(std::string_view text) { return *mf::PeerId::parse(text); }

IdentifyInfo sample() {
  IdentifyInfo info;
  info.public_key = from_hex(spec_public_key);
  info.listen_addrs = {addr("/ip4/127.0.0.1/tcp/9096")};
  info.protocols = {"/ipfs/id/1.0.0"};
  info.observed_addr = addr("/ip4/127.0.0.1/tcp/4321");
  info.protocol_version = "ipfs/0.1.0";
  info.agent_version = "x";
  return info;
}

TEST(IdentifyMessage, EncodesInFieldOrder) {  // [CALC]
  EXPECT_EQ(to_hex(encode_identify(sample())),
            "0a24" "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"
            "1208" "047f000001062388"
            "1a0e" "2f697066732f69642f312e302e30"
            "2208" "047f0000010610e1"
            "2a0a" "697066732f302e312e30"
            "3201" "78");
  EXPECT_TRUE(encode_identify(IdentifyInfo{}).empty());
}

TEST(IdentifyMessage, RoundTripsEveryField) {
  IdentifyInfo info = sample();
  info.listen_addrs.push_back(addr("/ip6/::1/udp/4001/quic-v1"));
  info.protocols.push_back("/meshsub/1.2.0");
  info.signed_peer_record = Bytes{1, 2, 3};
  auto decoded = decode_identify(encode_identify(info), peer(spec_peer_id));
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(decoded->info, info);
  EXPECT_EQ(decoded->dropped_listen_addrs, 0u);
  EXPECT_FALSE(decoded->dropped_observed_addr);
}

TEST(IdentifyMessage, DropsUnparsableAddressesOneByOne) {
  Bytes m = encode_identify(sample());
  const Bytes unknown_code{0x12, 0x03, 0xf0, 0xf0, 0x3f};  // listenAddrs: code 0xff870, unknown
  const Bytes truncated_ip4{0x12, 0x03, 0x04, 0x7f, 0x00};  // listenAddrs: ip4 with 2 of 4 bytes
  const Bytes empty_addr{0x12, 0x00};
  const Bytes bad_observed{0x22, 0x02, 0x06, 0x23};  // observedAddr: tcp with half a port
  for (const Bytes* extra : {&unknown_code, &truncated_ip4, &empty_addr, &bad_observed}) {
    m.insert(m.end(), extra->begin(), extra->end());
  }
  auto decoded = decode_identify(m);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(decoded->info.listen_addrs, sample().listen_addrs);
  EXPECT_EQ(decoded->dropped_listen_addrs, 3u);
  EXPECT_TRUE(decoded->dropped_observed_addr);
  EXPECT_FALSE(decoded->info.observed_addr);  // the later, bad value replaced the good one
}

TEST(IdentifyMessage, IgnoresUnknownFields) {
  Bytes m = encode_identify(sample());
  const Bytes nat_status{0x38, 0x01};  // field 7 (natStatus in older go-libp2p), varint 1
  m.insert(m.end(), nat_status.begin(), nat_status.end());
  auto decoded = decode_identify(m);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->info, sample());
}

TEST(IdentifyMessage, RejectsBrokenProtobuf) {
  EXPECT_EQ(decode_identify(from_hex("0a05aa")).error(), errc::invalid_message);   // short field
  EXPECT_EQ(decode_identify(from_hex("0f")).error(), errc::invalid_message);       // wire type 7
  EXPECT_EQ(decode_identify(from_hex("0aff")).error(), errc::invalid_message);     // cut varint
  EXPECT_TRUE(decode_identify({}));  // the empty message is valid protobuf
}

TEST(IdentifyMessage, ChecksThePublicKeyAgainstTheRemotePeer) {
  const Bytes m = encode_identify(sample());
  EXPECT_TRUE(decode_identify(m, peer(spec_peer_id)));
  EXPECT_TRUE(decode_identify(m));  // nothing to compare with
  EXPECT_EQ(decode_identify(m, peer("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA")).error(),
            errc::peer_id_mismatch);
  IdentifyInfo bad_key = sample();
  bad_key.public_key = Bytes{0x08, 0x09};  // key type 9 does not exist, Data missing
  EXPECT_EQ(decode_identify(encode_identify(bad_key), peer(spec_peer_id)).error(),
            errc::invalid_public_key);
  IdentifyInfo no_key = sample();
  no_key.public_key.reset();
  EXPECT_TRUE(decode_identify(encode_identify(no_key), peer(spec_peer_id)));
}

TEST(IdentifyOwn, DescribesTheFollower) {
  std::vector<std::string> protocols(follower_protocols.begin(), follower_protocols.end());
  const IdentifyInfo info = own_identify(from_hex(spec_public_key), protocols, {},
                                         addr("/ip4/10.0.0.1/tcp/9096"));
  EXPECT_EQ(info.protocol_version, "ipfs/0.1.0");
  EXPECT_EQ(info.agent_version, "cluster-follow/" + std::string(cf::version));
  EXPECT_EQ(info.protocols, protocols);
  EXPECT_EQ(info.public_key, from_hex(spec_public_key));
  EXPECT_EQ(info.observed_addr, addr("/ip4/10.0.0.1/tcp/9096"));
  EXPECT_TRUE(info.listen_addrs.empty());
  EXPECT_FALSE(info.signed_peer_record);
}

TEST(IdentifyOwn, TrimsListenAddrsToTheOwnMessageLimit) {
  std::vector<mf::Multiaddr> many;
  for (int i = 0; i < 400; ++i) {
    many.push_back(addr("/dns4/host-" + std::to_string(i) + ".example.com/tcp/9096"));
  }
  const IdentifyInfo info = own_identify(from_hex(spec_public_key), {"/ipfs/id/1.0.0"}, many, {});
  EXPECT_LT(info.listen_addrs.size(), many.size());
  EXPECT_GT(info.listen_addrs.size(), 0u);
  EXPECT_LE(encode_identify(info).size(), max_own_message_size);
  EXPECT_EQ(info.listen_addrs.front(), many.front());  // the first ones are kept
}

}  // namespace
}  // namespace cf::p2p::identify
