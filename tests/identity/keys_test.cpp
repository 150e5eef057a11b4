// Tests for the libp2p key protobufs. Vectors: libp2p/specs peer-ids/peer-ids.md
// "Test vectors" (ED25519, secp256k1 and ECDSA keys). See tests/vectors/PROVENANCE.md.
#include "cf/identity/keys.hpp"

#include <gtest/gtest.h>

#include "cf/identity/errc.hpp"
#include "vectors/peer_id_spec.hpp"

namespace cf::identity {
namespace {

using test::peer_id_spec::ed25519_private;
using test::peer_id_spec::ed25519_public;
using test::peer_id_spec::unhex;

constexpr const char* secp256k1_private =
    "0802122053dadf1d5a164d6b4acdb15e24aa4c5b1d3461bdbd42abedb0a4404d56ced8fb";
constexpr const char* secp256k1_public =
    "08021221037777e994e452c21604f91de093ce415f5432f701dd8cd1a7a6fea0e630bfca99";
constexpr const char* ecdsa_public =
    "0803125b3059301306072a8648ce3d020106082a8648ce3d03010703420004de3d300fa36ae0e8f5d530899d83ab"
    "ab44abf3161f162a4bc901d8e6ecda020e8b6d5f8da30525e71d6851510c098e5c47c646a597fb4dcec034e9f77c"
    "409e62";

TEST(Keys, DecodesAndReencodesSpecVectorsByteForByte) {
  auto priv = decode_private_key(unhex(ed25519_private));
  ASSERT_TRUE(priv);
  EXPECT_EQ(priv->type, KeyType::ed25519);
  EXPECT_EQ(priv->data.size(), 64u);
  EXPECT_EQ(to_hex(encode_private_key(*priv)), ed25519_private);

  for (const char* hex : {ed25519_public, secp256k1_public, ecdsa_public}) {
    auto pub = decode_public_key(unhex(hex));
    ASSERT_TRUE(pub) << hex;
    EXPECT_EQ(to_hex(encode_public_key(*pub)), hex);
  }
  EXPECT_EQ(decode_public_key(unhex(secp256k1_public))->type, KeyType::secp256k1);
  EXPECT_EQ(decode_public_key(unhex(ecdsa_public))->type, KeyType::ecdsa);
  EXPECT_EQ(decode_private_key(unhex(secp256k1_private))->type, KeyType::secp256k1);
}

TEST(Keys, Ed25519PublicKeyIs36Bytes) {
  const Bytes key(32, 0xab);
  const Bytes proto = encode_public_key(KeyProto{KeyType::ed25519, key});
  EXPECT_EQ(proto.size(), 36u);
  EXPECT_EQ(to_hex(ByteView(proto).first(4)), "08011220");
  // RSA is type 0, still written (proto2 required field).
  EXPECT_EQ(to_hex(encode_public_key(KeyProto{KeyType::rsa, Bytes{1}})), "08001201" "01");
}

TEST(Keys, RejectsMalformedMessages) {
  EXPECT_EQ(decode_public_key({}).error(), errc::invalid_key);            // both fields missing
  EXPECT_EQ(decode_public_key(unhex("0801")).error(), errc::invalid_key);  // Data missing
  EXPECT_EQ(decode_public_key(unhex("1200")).error(), errc::invalid_key);  // Type missing
  EXPECT_EQ(decode_public_key(unhex("08051200")).error(), errc::invalid_key);  // KeyType 5
  EXPECT_EQ(decode_public_key(unhex("08011220abcd")).error(), errc::invalid_key);  // truncated
  EXPECT_EQ(decode_private_key(unhex("ff")).error(), errc::invalid_key);
}

TEST(Keys, TypeNames) {
  EXPECT_EQ(to_string(KeyType::rsa), "RSA");
  EXPECT_EQ(to_string(KeyType::ed25519), "Ed25519");
  EXPECT_EQ(to_string(KeyType::secp256k1), "Secp256k1");
  EXPECT_EQ(to_string(KeyType::ecdsa), "ECDSA");
}

}  // namespace
}  // namespace cf::identity
