// Tests for Ed25519 keys. Vectors: libp2p/specs peer-ids/peer-ids.md "Test vectors" (the
// ED25519 key pair); RFC 8032 §7.1 TEST 1 and TEST 2; the peer ID 12D3KooWBtg3… is [CALC]
// (libp2p-wire.md §10). See tests/vectors/PROVENANCE.md.
#include "cf/identity/ed25519.hpp"

#include <gtest/gtest.h>

#include "cf/identity/errc.hpp"
#include "cf/identity/keys.hpp"
#include "vectors/peer_id_spec.hpp"

namespace cf::identity {
namespace {

using multiformats::PeerId;
using test::peer_id_spec::unhex;

constexpr const char* spec_private = test::peer_id_spec::ed25519_private;
constexpr const char* spec_public = test::peer_id_spec::ed25519_public;
constexpr const char* spec_seed = test::peer_id_spec::ed25519_seed;
constexpr const char* spec_pub_raw = test::peer_id_spec::ed25519_public_raw;
constexpr const char* spec_peer_id = test::peer_id_spec::ed25519_peer_id;

TEST(Ed25519, SpecPrivateKeyGivesSpecPublicKeyAndPeerId) {
  auto pair = Ed25519Keypair::from_proto(unhex(spec_private));
  ASSERT_TRUE(pair) << pair.error().message();
  EXPECT_EQ(to_hex(pair->public_key().to_proto()), spec_public);
  EXPECT_EQ(pair->public_key().peer_id().to_string(), spec_peer_id);
  EXPECT_EQ(to_hex(pair->to_proto()), spec_private);
  EXPECT_EQ(pair->to_proto().size(), 68u);
}

TEST(Ed25519, PublicKeyFromProtoAndPeerId) {
  auto pub = Ed25519PublicKey::from_proto(unhex(spec_public));
  ASSERT_TRUE(pub);
  EXPECT_EQ(to_hex(pub->bytes()), spec_pub_raw);
  auto from_id = Ed25519PublicKey::from_peer_id(*PeerId::parse(spec_peer_id));
  ASSERT_TRUE(from_id);
  EXPECT_EQ(*from_id, *pub);
  // A sha2-256 peer ID hides its key.
  EXPECT_EQ(Ed25519PublicKey::from_peer_id(
                *PeerId::parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N"))
                .error(),
            errc::unsupported_key_type);
}

TEST(Ed25519, Rfc8032Vectors) {
  struct Case {
    const char* seed;
    const char* pub;
    const char* message;
    const char* signature;
  };
  for (const auto& c : std::vector<Case>{
           {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e"
            "39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
           {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f"
            "3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
       }) {
    auto pair = Ed25519Keypair::from_seed(unhex(c.seed));
    ASSERT_TRUE(pair);
    EXPECT_EQ(to_hex(pair->public_key().bytes()), c.pub);
    const Bytes message = unhex(c.message);
    const auto signature = pair->sign(message);
    EXPECT_EQ(to_hex(signature), c.signature);
    EXPECT_TRUE(pair->public_key().verify(message, signature));
  }
}

TEST(Ed25519, VerifyRejectsForgeries) {
  const auto pair = Ed25519Keypair::generate();
  const auto sig = pair.sign(as_bytes("hello"));
  EXPECT_TRUE(pair.public_key().verify(as_bytes("hello"), sig));
  EXPECT_FALSE(pair.public_key().verify(as_bytes("hellO"), sig));
  auto bad = sig;
  bad[10] ^= 1;
  EXPECT_FALSE(pair.public_key().verify(as_bytes("hello"), bad));
  EXPECT_FALSE(pair.public_key().verify(as_bytes("hello"), ByteView(sig).first(63)));
  const auto other = Ed25519Keypair::generate();
  EXPECT_FALSE(other.public_key().verify(as_bytes("hello"), sig));
}

TEST(Ed25519, GeneratedKeysRoundTripThroughTheProtobuf) {
  const auto pair = Ed25519Keypair::generate();
  auto again = Ed25519Keypair::from_proto(pair.to_proto());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->public_key(), pair.public_key());
  EXPECT_TRUE(pair.public_key().peer_id().to_string().starts_with("12D3KooW"));
}

TEST(Ed25519, AcceptsTheLegacy96ByteFormOnlyWhenBothCopiesMatch) {
  const Bytes seed = unhex(spec_seed);
  const Bytes pub = unhex(spec_pub_raw);
  Bytes legacy = seed;
  legacy.insert(legacy.end(), pub.begin(), pub.end());
  legacy.insert(legacy.end(), pub.begin(), pub.end());
  auto pair = Ed25519Keypair::from_private_key_data(legacy);
  ASSERT_TRUE(pair);
  EXPECT_EQ(pair->public_key().peer_id().to_string(), spec_peer_id);
  // Re-marshalled in the 64-byte form.
  EXPECT_EQ(to_hex(pair->to_proto()), spec_private);
  legacy.back() ^= 1;
  EXPECT_EQ(Ed25519Keypair::from_private_key_data(legacy).error(), errc::invalid_key);
}

TEST(Ed25519, RejectsAPublicKeyThatIsNotTheSeeds) {
  Bytes data = unhex(spec_seed);
  // The seed of the spec key with the RFC 8032 TEST 1 public key.
  const Bytes other = unhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  data.insert(data.end(), other.begin(), other.end());
  auto r = Ed25519Keypair::from_private_key_data(data);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::invalid_key);
  EXPECT_NE(r.error().message().find("does not belong"), std::string::npos);
}

TEST(Ed25519, RejectsBadLengthsAndOtherKeyTypes) {
  EXPECT_EQ(Ed25519Keypair::from_private_key_data(Bytes(63, 1)).error(), errc::invalid_key);
  EXPECT_EQ(Ed25519Keypair::from_seed(Bytes(31, 1)).error(), errc::invalid_key);
  EXPECT_EQ(Ed25519PublicKey::from_bytes(Bytes(33, 1)).error(), errc::invalid_key);
  EXPECT_EQ(Ed25519PublicKey::from_proto(unhex("080112021234")).error(), errc::invalid_key);
  // peer-ids.md secp256k1 private key.
  auto secp = Ed25519Keypair::from_proto(
      unhex("0802122053dadf1d5a164d6b4acdb15e24aa4c5b1d3461bdbd42abedb0a4404d56ced8fb"));
  ASSERT_FALSE(secp);
  EXPECT_EQ(secp.error(), errc::unsupported_key_type);
  EXPECT_NE(secp.error().message().find("Secp256k1"), std::string::npos);
  EXPECT_EQ(Ed25519PublicKey::from_proto(
                unhex("08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99"))
                .error(),
            errc::unsupported_key_type);
}

}  // namespace
}  // namespace cf::identity
