// Noise_XX_25519_ChaChaPoly_SHA256 against published vectors (tests/vectors/PROVENANCE.md
// "noise"): cacophony (prologue, payloads, handshake hash, 3 transport messages) and four
// flynn/noise vectors.txt blocks (with and without prologue and payloads, 2 transport messages).
#include "cf/p2p/noise/handshake_state.hpp"

#include <gtest/gtest.h>

#include "cf/p2p/noise/errc.hpp"
#include "vectors/noise/noise_vectors.hpp"

namespace cf::p2p::noise {
namespace {

namespace nv = cf::test::noise_vectors;

X25519Keypair key(const Bytes& secret) {
  auto kp = X25519Keypair::from_secret(secret);
  EXPECT_TRUE(kp);
  return *kp;
}

// Runs one vector: every handshake message and transport message byte for byte.
void check_vector(const nv::Vector& v) {
  SCOPED_TRACE(v.name);
  ASSERT_EQ(v.name, protocol_name);
  ASSERT_GE(v.messages.size(), 5u);
  HandshakeState init(Role::initiator, key(v.init_static), v.prologue, key(v.init_ephemeral));
  HandshakeState resp(Role::responder, key(v.resp_static), v.prologue, key(v.resp_ephemeral));
  for (std::size_t i = 0; i < 3; ++i) {
    SCOPED_TRACE("handshake message " + std::to_string(i));
    HandshakeState& writer = i % 2 == 0 ? init : resp;
    HandshakeState& reader = i % 2 == 0 ? resp : init;
    auto wire = writer.write_message(v.messages[i].payload);
    ASSERT_TRUE(wire) << wire.error().message();
    EXPECT_EQ(to_hex(*wire), to_hex(v.messages[i].ciphertext));
    auto payload = reader.read_message(*wire);
    ASSERT_TRUE(payload) << payload.error().message();
    EXPECT_EQ(*payload, v.messages[i].payload);
  }
  ASSERT_TRUE(init.is_complete());
  ASSERT_TRUE(resp.is_complete());
  EXPECT_EQ(init.handshake_hash(), resp.handshake_hash());
  if (!v.handshake_hash.empty()) {
    EXPECT_EQ(to_hex(init.handshake_hash()), to_hex(v.handshake_hash));
  }
  EXPECT_EQ(*init.remote_static(), key(v.resp_static).public_key);
  EXPECT_EQ(*resp.remote_static(), key(v.init_static).public_key);

  auto ic = init.split();
  auto rc = resp.split();
  ASSERT_TRUE(ic && rc);
  for (std::size_t i = 3; i < v.messages.size(); ++i) {
    SCOPED_TRACE("transport message " + std::to_string(i));
    const bool from_initiator = ((i - 3) % 2 == 0) == v.transport_starts_with_initiator;
    CipherState& send = from_initiator ? ic->send : rc->send;
    CipherState& recv = from_initiator ? rc->recv : ic->recv;
    Bytes wire;
    ASSERT_TRUE(send.encrypt_with_ad({}, v.messages[i].payload, wire));
    EXPECT_EQ(to_hex(wire), to_hex(v.messages[i].ciphertext));
    Bytes plain;
    ASSERT_TRUE(recv.decrypt_with_ad({}, wire, plain));
    EXPECT_EQ(plain, v.messages[i].payload);
  }
}

TEST(NoiseVectors, CacophonyXxWithPrologueAndPayloads) {
  const auto vectors = nv::load_cacophony("cacophony_xx_25519_chachapoly_sha256.json");
  ASSERT_EQ(vectors.size(), 1u);
  EXPECT_FALSE(vectors[0].prologue.empty());
  EXPECT_EQ(vectors[0].handshake_hash.size(), 32u);
  EXPECT_EQ(vectors[0].messages.size(), 6u);
  check_vector(vectors[0]);
}

TEST(NoiseVectors, FlynnNoiseXxBlocks) {
  const auto vectors = nv::load_flynn("flynn_noise_xx_vectors.txt");
  ASSERT_EQ(vectors.size(), 4u);
  // Block 1 is the libp2p shape: no prologue, empty handshake payloads.
  EXPECT_TRUE(vectors[0].prologue.empty());
  EXPECT_TRUE(vectors[0].messages[1].payload.empty());
  EXPECT_FALSE(vectors[3].prologue.empty());
  EXPECT_FALSE(vectors[3].messages[1].payload.empty());
  for (const auto& v : vectors) check_vector(v);
}

TEST(HandshakeState, MessageSizesOfTheLibp2pShape) {
  const auto v = nv::load_flynn("flynn_noise_xx_vectors.txt")[0];
  EXPECT_EQ(v.messages[0].ciphertext.size(), 32u);           // e
  EXPECT_EQ(v.messages[1].ciphertext.size(), 32u + 48 + 16);  // e, enc(s), tag of empty payload
  EXPECT_EQ(v.messages[2].ciphertext.size(), 48u + 16);       // enc(s), tag
}

TEST(HandshakeState, OutOfTurnCallsAreInvalidState) {
  HandshakeState init(Role::initiator, X25519Keypair::generate());
  HandshakeState resp(Role::responder, X25519Keypair::generate());
  EXPECT_EQ(resp.write_message({}).error(), errc::invalid_state);
  EXPECT_EQ(init.read_message(Bytes(32)).error(), errc::invalid_state);
  EXPECT_EQ(init.split().error(), errc::invalid_state);
  EXPECT_TRUE(init.my_turn());
  EXPECT_FALSE(resp.my_turn());
}

TEST(HandshakeState, TruncatedAndAlteredMessagesFail) {
  HandshakeState init(Role::initiator, X25519Keypair::generate());
  HandshakeState resp(Role::responder, X25519Keypair::generate());
  auto m1 = init.write_message({});
  ASSERT_TRUE(m1);
  EXPECT_EQ(resp.read_message(ByteView(*m1).first(31)).error(), errc::truncated_message);
  EXPECT_EQ(resp.read_message(*m1).error(), errc::invalid_state);  // unusable after a failure

  HandshakeState resp2(Role::responder, X25519Keypair::generate());
  ASSERT_TRUE(resp2.read_message(*m1));
  auto m2 = resp2.write_message(as_bytes("hello"));
  ASSERT_TRUE(m2);
  HandshakeState init_copy = init;
  EXPECT_EQ(init_copy.read_message(ByteView(*m2).first(32 + 47)).error(), errc::truncated_message);
  Bytes flipped = *m2;
  flipped.back() ^= 0x01;
  init_copy = init;
  EXPECT_EQ(init_copy.read_message(flipped).error(), errc::decrypt_failed);
  ASSERT_TRUE(init.read_message(*m2));
}

TEST(HandshakeState, LowOrderEphemeralIsInvalidDh) {
  HandshakeState resp(Role::responder, X25519Keypair::generate());
  // The all-zero point has small order: X25519 with it gives zero, which go rejects too.
  ASSERT_TRUE(resp.read_message(Bytes(32, 0)));
  EXPECT_EQ(resp.write_message({}).error(), errc::invalid_dh);
}

TEST(HandshakeState, MessagesAbove65535BytesAreRefused) {
  HandshakeState init(Role::initiator, X25519Keypair::generate());
  EXPECT_EQ(init.write_message(Bytes(65535 - 31, 0)).error(), errc::message_too_large);
  HandshakeState resp(Role::responder, X25519Keypair::generate());
  EXPECT_EQ(resp.read_message(Bytes(65536, 0)).error(), errc::message_too_large);
}

}  // namespace
}  // namespace cf::p2p::noise
