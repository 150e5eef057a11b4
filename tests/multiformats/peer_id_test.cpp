// Tests for peer IDs. Vectors: libp2p/specs peer-ids/peer-ids.md ("Test vectors" keys and
// "Examples" IDs); [CALC] values computed by us from those (libp2p-wire.md §10).
// See tests/vectors/PROVENANCE.md.
#include "cf/multiformats/peer_id.hpp"

#include <gtest/gtest.h>

#include <unordered_set>

#include "cf/multiformats/errc.hpp"
#include "cf/multiformats/multicodec.hpp"

namespace cf::multiformats {
namespace {

Bytes unhex(std::string_view hex) { return *multibase::decode_raw(multibase::Base::base16, hex); }

// peer-ids.md "Test vectors": the ED25519 public key.
constexpr const char* ed25519_pub_proto =
    "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
// [CALC] (libp2p-wire.md §10): the peer ID of that key and its CIDv1 base32 form.
constexpr const char* ed25519_id = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
constexpr const char* ed25519_cid =
    "bafzaajaiaejcahwr5d5ofrfbis4l5d6uwr57hu5tjodrypfm6yaq6dsc2r2pzyt6";

TEST(PeerId, FromEd25519PublicKeyProto) {
  const auto id = PeerId::from_public_key_proto(unhex(ed25519_pub_proto));
  EXPECT_EQ(id.multihash().code(), multicodec::identity);
  EXPECT_EQ(to_hex(id.bytes()), std::string("0024") + ed25519_pub_proto);
  EXPECT_EQ(id.to_string(), ed25519_id);
  EXPECT_EQ(id.to_cid_string(), ed25519_cid);
  EXPECT_EQ(to_hex(*id.public_key_proto()), ed25519_pub_proto);
  auto key = id.extract_ed25519_public_key();
  ASSERT_TRUE(key);
  EXPECT_EQ(to_hex(*key), "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
}

TEST(PeerId, ParsesBothTextForms) {
  auto legacy = PeerId::parse(ed25519_id);
  auto cid = PeerId::parse(ed25519_cid);
  ASSERT_TRUE(legacy) << legacy.error().message();
  ASSERT_TRUE(cid) << cid.error().message();
  EXPECT_EQ(*legacy, *cid);
  EXPECT_EQ(cid->to_string(), ed25519_id);
  EXPECT_EQ(legacy->to_cid_string(), ed25519_cid);
}

TEST(PeerId, SpecExamples) {
  // peer-ids.md "Examples": the same sha256 peer ID as a CID and as base58btc.
  auto from_cid = PeerId::parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
  auto from_b58 = PeerId::parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
  ASSERT_TRUE(from_cid) << from_cid.error().message();
  ASSERT_TRUE(from_b58) << from_b58.error().message();
  EXPECT_EQ(*from_cid, *from_b58);
  EXPECT_EQ(from_cid->multihash().code(), multicodec::sha2_256);
  // [CALC] the multihash both decode to (libp2p-wire.md §10).
  EXPECT_EQ(to_hex(from_b58->bytes()),
            "12209dff3b17d74cf4d38a50d8b6383e92d181a10395a5e73a726dcccbd21bf6f0b9");
  EXPECT_EQ(from_cid->to_string(), "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
  EXPECT_EQ(from_b58->to_cid_string(),
            "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
  EXPECT_FALSE(from_b58->public_key_proto());
  EXPECT_EQ(from_b58->extract_ed25519_public_key().error(), errc::invalid_peer_id);
  // The ed25519 example.
  auto ed = PeerId::parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
  ASSERT_TRUE(ed);
  EXPECT_TRUE(ed->extract_ed25519_public_key());
  EXPECT_EQ(ed->to_string(), "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
}

TEST(PeerId, LongKeysAreHashed) {
  // peer-ids.md "Test vectors": the RSA public key (555 bytes > 42, so sha2-256).
  const Bytes rsa = unhex(
      "080012a60430820222300d06092a864886f70d01010105000382020f003082020a0282020100e1beab071d08"
      "200bde24eef00d049449b07770ff9910257b2d7d5dda242ce8f0e2f12e1af4b32d9efd2c090f66b0f29986db"
      "b645dae9880089704a94e5066d594162ae6ee8892e6ec70701db0a6c445c04778eb3de1293aa1a23c3825b85"
      "c6620a2bc3f82f9b0c309bc0ab3aeb1873282bebd3da03c33e76c21e9beb172fd44c9e43be32e2c99827033c"
      "f8d0f0c606f4579326c930eb4e854395ad941256542c793902185153c474bed109d6ff5141ebf9cd256cf588"
      "93a37f83729f97e7cb435ec679d2e33901d27bb35aa0d7e20561da08885ef0abbf8e2fb48d6a5487047a9ecb"
      "1ad41fa7ed84f6e3e8ecd5d98b3982d2a901b4454991766da295ab78822add5612a2df83bcee814cf50973e8"
      "0d7ef38111b1bd87da2ae92438a2c8cbcc70b31ee319939a3b9c761dbc13b5c086d6b64bf7ae7dacc1462237"
      "5d92a8ff9af7eb962162bbddebf90acb32adb5e4e4029f1c96019949ecfbfeffd7ac1e3fbcc6b6168c34be3d"
      "5a2e5999fcbb39bba7adbca78eab09b9bc39f7fa4b93411f4cc175e70c0a083e96bfaefb04a9580b4753c173"
      "8a6a760ae1afd851a1a4bdad231cf56e9284d832483df215a46c1c21bdf0c6cfe951c18f1ee4078c79c13d63"
      "edb6e14feaeffabc90ad317e4875fe648101b0864097e998f0ca3025ef9638cd2b0caecd3770ab54a1d9c6ca"
      "959b0f5dcbc90caeefc4135baca6fd475224269bbe1b0203010001");
  ASSERT_EQ(rsa.size(), 555u);
  const auto id = PeerId::from_public_key_proto(rsa);
  EXPECT_EQ(id.multihash().code(), multicodec::sha2_256);
  EXPECT_EQ(id.to_string(), "QmaeANgBs1DTSxWSrPPtobgQuxW8XTfsS4ydbK4rCHzqxG");  // [CALC]
}

TEST(PeerId, InlineLimitIs42Bytes) {
  EXPECT_EQ(PeerId::from_public_key_proto(Bytes(42, 7)).multihash().code(), multicodec::identity);
  EXPECT_EQ(PeerId::from_public_key_proto(Bytes(43, 7)).multihash().code(), multicodec::sha2_256);
}

TEST(PeerId, RejectsAWrongCidCodec) {
  // The empty dag-pb block's CIDv1 is a valid CID but not a libp2p-key one.
  auto r = PeerId::parse("bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::invalid_peer_id);
  EXPECT_NE(r.error().message().find("0x70"), std::string::npos) << r.error().message();
  EXPECT_NE(r.error().message().find("bafybei"), std::string::npos);
}

TEST(PeerId, RejectsBadInput) {
  EXPECT_EQ(PeerId::parse("").error(), errc::invalid_peer_id);
  EXPECT_EQ(PeerId::parse("QmNotBase58IIII").error(), errc::invalid_peer_id);
  EXPECT_EQ(PeerId::parse("?unknownmultibase").error(), errc::invalid_peer_id);
  // go-multiaddr TestConstructFails: a sha256 multihash whose digest is longer than 32 bytes.
  EXPECT_EQ(PeerId::parse("QmxoHT6iViN5xAjoz1VZ553cL31U9F94ht3QvWR1FrEbZY").error(),
            errc::invalid_peer_id);
  // An md5 multihash is not a peer ID.
  EXPECT_EQ(PeerId::from_bytes(unhex("d50102aabb")).error(), errc::invalid_peer_id);
  EXPECT_EQ(PeerId::from_bytes(unhex("1220aabb")).error(), errc::invalid_peer_id);  // truncated
  EXPECT_EQ(PeerId::from_bytes({}).error(), errc::invalid_peer_id);
  // An identity multihash that does not hold an Ed25519 key.
  auto id = PeerId::from_bytes(unhex("0003010203"));
  ASSERT_TRUE(id);
  EXPECT_EQ(id->extract_ed25519_public_key().error(), errc::invalid_peer_id);
}

TEST(PeerId, IsARegularValue) {
  const auto a = *PeerId::parse(ed25519_id);
  const auto b = *PeerId::parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
  std::unordered_set<PeerId> set{a, b, a};
  EXPECT_EQ(set.size(), 2u);
  EXPECT_TRUE(a < b);  // identity (00…) sorts before sha2-256 (12…)
}

}  // namespace
}  // namespace cf::multiformats
