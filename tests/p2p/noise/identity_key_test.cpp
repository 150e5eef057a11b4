// Remote identity keys of the non-Ed25519 types, against go-libp2p's own fixtures
// (core/crypto/test_data/{0,2,3}.{pub,sig} @ v0.48.0, copied to tests/vectors/noise/; each
// .sig signs "Libp2p is the _best_!", core/crypto/fixture_test.go). See PROVENANCE.md "noise".
#include "cf/p2p/noise/identity_key.hpp"

#include <gtest/gtest.h>

#include "cf/identity/ed25519.hpp"
#include "cf/multiformats/peer_id.hpp"
#include "cf/p2p/noise/errc.hpp"
#include "vectors/noise/noise_vectors.hpp"
#include "vectors/peer_id_spec.hpp"

namespace cf::p2p::noise {
namespace {

namespace nv = cf::test::noise_vectors;
using identity::KeyType;

constexpr std::string_view fixture_message = "Libp2p is the _best_!";

struct Fixture {
  identity::KeyProto key;
  Bytes pub_proto;
  Bytes sig;
};

Fixture load(int n) {
  const std::string base = "go_libp2p_crypto_" + std::to_string(n);
  Fixture f{{}, nv::read_file(base + ".pub"), nv::read_file(base + ".sig")};
  auto key = identity::decode_public_key(f.pub_proto);
  EXPECT_TRUE(key);
  if (key) f.key = *key;
  return f;
}

void check_fixture(int n, KeyType type) {
  SCOPED_TRACE(n);
  const Fixture f = load(n);
  ASSERT_FALSE(f.sig.empty());
  ASSERT_EQ(f.key.type, type);
  auto ok = verify_signature(f.key, as_bytes(fixture_message), f.sig);
  EXPECT_TRUE(ok) << (ok ? "" : ok.error().message());
  EXPECT_EQ(verify_signature(f.key, as_bytes("Libp2p is the _best_?"), f.sig).error(),
            errc::invalid_signature);
  Bytes bad_sig = f.sig;
  bad_sig[bad_sig.size() / 2] ^= 0x01;
  EXPECT_FALSE(verify_signature(f.key, as_bytes(fixture_message), bad_sig));
  // go's fixture test: MarshalPublicKey(UnmarshalPublicKey(pub)) == pub.
  auto canonical = canonical_public_key(f.key);
  ASSERT_TRUE(canonical) << canonical.error().message();
  EXPECT_EQ(to_hex(*canonical), to_hex(f.pub_proto));
}

TEST(IdentityKey, GoRsaFixture) {
  check_fixture(0, KeyType::rsa);
  // An RSA public key protobuf is longer than 42 bytes: the peer ID is a sha2-256 "Qm..." one.
  const auto id = multiformats::PeerId::from_public_key_proto(*canonical_public_key(load(0).key));
  EXPECT_EQ(id.to_string().substr(0, 2), "Qm");
}

TEST(IdentityKey, GoSecp256k1Fixture) { check_fixture(2, KeyType::secp256k1); }

TEST(IdentityKey, GoEcdsaFixture) { check_fixture(3, KeyType::ecdsa); }

TEST(IdentityKey, Secp256k1UncompressedKeyGetsTheCompressedPeerKey) {
  // The generator point G (SEC 2 §2.4.1): even y, so the compressed form starts 02.
  const std::string x = "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
  const std::string y = "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";
  const identity::KeyProto g{KeyType::secp256k1, cf::test::peer_id_spec::unhex("04" + x + y)};
  auto canonical = canonical_public_key(g);
  ASSERT_TRUE(canonical) << canonical.error().message();
  EXPECT_EQ(to_hex(*canonical), "08021221" "02" + x);
  Bytes off_curve = cf::test::peer_id_spec::unhex("04" + x + y);
  ASSERT_EQ(off_curve.size(), 65u);
  off_curve[64] = static_cast<std::uint8_t>(off_curve[64] ^ 0x01);
  EXPECT_EQ(canonical_public_key({KeyType::secp256k1, off_curve}).error(),
            errc::invalid_identity_key);
  EXPECT_EQ(canonical_public_key({KeyType::secp256k1, Bytes(33, 0x05)}).error(),
            errc::invalid_identity_key);
}

TEST(IdentityKey, MalformedPkixKeysAreRejected) {
  const Fixture rsa = load(0);
  Bytes truncated = rsa.key.data;
  truncated.resize(truncated.size() - 1);
  EXPECT_EQ(canonical_public_key({KeyType::rsa, truncated}).error(), errc::invalid_identity_key);
  Bytes trailing = rsa.key.data;
  trailing.push_back(0);
  EXPECT_EQ(canonical_public_key({KeyType::rsa, trailing}).error(), errc::invalid_identity_key);
  // An ECDSA key where RSA is claimed, and the other way round.
  const Fixture ec = load(3);
  EXPECT_EQ(canonical_public_key({KeyType::rsa, ec.key.data}).error(), errc::invalid_identity_key);
  EXPECT_EQ(verify_signature({KeyType::ecdsa, rsa.key.data}, as_bytes(fixture_message), rsa.sig)
                .error(),
            errc::invalid_identity_key);
  EXPECT_EQ(canonical_public_key({KeyType::ecdsa, {}}).error(), errc::invalid_identity_key);
}

TEST(IdentityKey, CompressedEcdsaPointIsRejectedLikeGo) {
  // The fixture's P-256 key re-wrapped with its compressed point (Go's x509 only takes 04...).
  const Bytes der = load(3).key.data;
  ASSERT_EQ(der.size(), 91u);
  const ByteView point = ByteView(der).subspan(der.size() - 65);
  ASSERT_EQ(point[0], 0x04);
  Bytes compressed = cf::test::peer_id_spec::unhex(
      "3039301306072a8648ce3d020106082a8648ce3d030107032200");
  compressed.push_back(static_cast<std::uint8_t>(0x02 | (point[64] & 1)));
  compressed.insert(compressed.end(), point.begin() + 1, point.begin() + 33);
  auto refused = canonical_public_key({KeyType::ecdsa, compressed});
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), errc::invalid_identity_key);
  EXPECT_NE(refused.error().detail().find("uncompressed"), std::string::npos)
      << refused.error().detail();
}

TEST(IdentityKey, Ed25519GoesThroughLibsodium) {
  const auto kp = identity::Ed25519Keypair::generate();
  const identity::KeyProto key{KeyType::ed25519,
                               Bytes(kp.public_key().bytes().begin(), kp.public_key().bytes().end())};
  const auto sig = kp.sign(as_bytes("m"));
  EXPECT_TRUE(verify_signature(key, as_bytes("m"), sig));
  EXPECT_EQ(verify_signature(key, as_bytes("n"), sig).error(), errc::invalid_signature);
  EXPECT_EQ(*canonical_public_key(key), kp.public_key().to_proto());
}

}  // namespace
}  // namespace cf::p2p::noise
