// The libp2p handshake payload: layout, the static-key signature and the receiver's checks.
// Vectors: libp2p-wire.md §4.4 [CALC] (encoding, 120-byte size, signature with the
// libp2p/specs peer-ids.md Ed25519 test key); see tests/vectors/PROVENANCE.md "noise".
#include "cf/p2p/noise/payload.hpp"

#include <gtest/gtest.h>

#include "cf/p2p/noise/errc.hpp"
#include "vectors/peer_id_spec.hpp"

namespace cf::p2p::noise {
namespace {

namespace spec = cf::test::peer_id_spec;

identity::Ed25519Keypair spec_key() {
  return *identity::Ed25519Keypair::from_seed(spec::unhex(spec::ed25519_seed));
}

PublicKey counting_key() {  // 00 01 02 ... 1f
  PublicKey k{};
  for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(i);
  return k;
}

TEST(Payload, SignatureOverPrefixedStaticKey) {
  const auto p = make_payload(spec_key(), counting_key(), {});
  EXPECT_EQ(to_hex(p.identity_sig),
            "6748f6f4c32e36aa2ef8df283a99a76275a9358b224844c53ced6ae4789262d00a86a6fe47a578ae243f"
            "aa2a3ed9f4fd22d1bc38527f4797548e568ca43f500c");
  EXPECT_EQ(to_string(signed_message(counting_key())).substr(0, 24), "noise-libp2p-static-key:");
}

TEST(Payload, EncodingMatchesGoLayout) {
  const auto p = make_payload(spec_key(), counting_key(), {"/yamux/1.0.0"});
  const Bytes wire = encode_payload(p);
  ASSERT_EQ(wire.size(), 120u);
  const std::string hex = to_hex(wire);
  EXPECT_EQ(hex.substr(0, 4), "0a24");
  EXPECT_EQ(hex.substr(4, 72), spec::ed25519_public);
  EXPECT_EQ(hex.substr(76, 4), "1240");
  EXPECT_EQ(hex.substr(80, 128), to_hex(p.identity_sig));
  EXPECT_EQ(hex.substr(208), "220e120c" + to_hex(as_bytes("/yamux/1.0.0")));
  // No muxers: an empty extensions message is still sent, as go's transport does.
  EXPECT_EQ(to_hex(encode_payload(make_payload(spec_key(), counting_key(), {}))).substr(208),
            "2200");
}

TEST(Payload, DecodeRoundTripAndGarbage) {
  const auto p = make_payload(spec_key(), counting_key(), {"/mplex/6.7.0", "/yamux/1.0.0"});
  auto back = decode_payload(encode_payload(p));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->identity_key, p.identity_key);
  EXPECT_EQ(back->identity_sig, p.identity_sig);
  EXPECT_EQ(back->stream_muxers, p.stream_muxers);
  EXPECT_EQ(decode_payload(Bytes{0x0a, 0x24, 0x01}).error(), errc::invalid_payload);
  EXPECT_EQ(decode_payload(Bytes{0xff, 0xff, 0xff}).error(), errc::invalid_payload);
  auto empty = decode_payload({});
  ASSERT_TRUE(empty);  // proto2 optionals: an empty message parses, the key check rejects it
  EXPECT_FALSE(empty->stream_muxers);
  EXPECT_EQ(verify_payload(*empty, counting_key(), std::nullopt).error(),
            errc::invalid_identity_key);
}

TEST(Payload, VerifyAcceptsAGenuinePayload) {
  const auto p = make_payload(spec_key(), counting_key(), {"/yamux/1.0.0"});
  const auto expected = multiformats::PeerId::parse(spec::ed25519_peer_id);
  ASSERT_TRUE(expected);
  auto remote = verify_payload(p, counting_key(), *expected);
  ASSERT_TRUE(remote) << remote.error().message();
  EXPECT_EQ(remote->id.to_string(), spec::ed25519_peer_id);
  EXPECT_EQ(remote->key.type, identity::KeyType::ed25519);
  EXPECT_EQ(remote->muxers, std::vector<std::string>{"/yamux/1.0.0"});
}

TEST(Payload, VerifyRejectsTamperingAndStrangers) {
  const auto p = make_payload(spec_key(), counting_key(), {"/yamux/1.0.0"});
  PublicKey other_static = counting_key();
  other_static[0] ^= 1;
  EXPECT_EQ(verify_payload(p, other_static, std::nullopt).error(), errc::invalid_signature);

  auto bad_sig = p;
  bad_sig.identity_sig[10] ^= 0x20;
  EXPECT_EQ(verify_payload(bad_sig, counting_key(), std::nullopt).error(), errc::invalid_signature);

  auto bad_key = p;
  bad_key.identity_key.pop_back();  // 31-byte Ed25519 key
  EXPECT_EQ(verify_payload(bad_key, counting_key(), std::nullopt).error(),
            errc::invalid_identity_key);
  bad_key.identity_key = {0x01, 0x02, 0x03};
  EXPECT_EQ(verify_payload(bad_key, counting_key(), std::nullopt).error(),
            errc::invalid_identity_key);

  const auto stranger = identity::Ed25519Keypair::generate().public_key().peer_id();
  auto mismatch = verify_payload(p, counting_key(), stranger);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error(), errc::peer_id_mismatch);
  EXPECT_NE(mismatch.error().detail().find(stranger.to_string()), std::string::npos);
  EXPECT_NE(mismatch.error().detail().find(spec::ed25519_peer_id), std::string::npos);
}

TEST(Payload, MoreThan100MuxersAreIgnored) {
  std::vector<std::string> many(101, "/yamux/1.0.0");
  const auto p = make_payload(spec_key(), counting_key(), many);
  auto remote = verify_payload(p, counting_key(), std::nullopt);
  ASSERT_TRUE(remote);
  EXPECT_TRUE(remote->muxers.empty());
  many.pop_back();
  EXPECT_EQ(verify_payload(make_payload(spec_key(), counting_key(), many), counting_key(),
                           std::nullopt)
                ->muxers.size(),
            100u);
}

TEST(Payload, MatchMuxersFollowsTheInitiatorsOrder) {
  using V = std::vector<std::string>;
  EXPECT_EQ(match_muxers(V{"/a", "/b"}, V{"/b", "/a"}), "/a");
  EXPECT_EQ(match_muxers(V{"/mplex/6.7.0", "/yamux/1.0.0"}, V{"/yamux/1.0.0"}), "/yamux/1.0.0");
  EXPECT_EQ(match_muxers(V{}, V{"/yamux/1.0.0"}), std::nullopt);
  EXPECT_EQ(match_muxers(V{"/yamux/1.0.0"}, V{}), std::nullopt);
}

}  // namespace
}  // namespace cf::p2p::noise
