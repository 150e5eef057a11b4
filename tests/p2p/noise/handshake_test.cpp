// The libp2p Noise handshake end to end in memory (both roles are ours), early muxer
// negotiation, and the failures a hostile or broken peer can cause.
#include "cf/p2p/noise/handshake.hpp"

#include <gtest/gtest.h>

#include "cf/p2p/noise/errc.hpp"
#include "cf/p2p/noise/framing.hpp"

namespace cf::p2p::noise {
namespace {

using identity::Ed25519Keypair;

Bytes body(const Bytes& frame) { return Bytes(frame.begin() + 2, frame.end()); }

struct Peers {
  Ed25519Keypair dialer_id = Ed25519Keypair::generate();
  Ed25519Keypair listener_id = Ed25519Keypair::generate();
};

// Runs the three messages; returns the first error, if any.
Status run(Handshake& init, Handshake& resp) {
  CF_TRY_ASSIGN(m1, init.start());
  CF_TRY_ASSIGN(m2, resp.on_frame(body(m1)));
  if (!m2) return Error(errc::invalid_state, "the responder sent no msg2");
  CF_TRY_ASSIGN(m3, init.on_frame(body(*m2)));
  if (!m3) return Error(errc::invalid_state, "the initiator sent no msg3");
  CF_TRY_ASSIGN(none, resp.on_frame(body(*m3)));
  EXPECT_FALSE(none);
  return ok();
}

TEST(Handshake, CompletesAndAgreesOnYamux) {
  Peers p;
  auto init = Handshake::initiator(p.dialer_id, p.listener_id.public_key().peer_id());
  auto resp = Handshake::responder(p.listener_id);
  EXPECT_EQ(init.role(), Role::initiator);
  auto m1 = init.start();
  ASSERT_TRUE(m1);
  EXPECT_EQ(m1->size(), 2u + 32);
  auto m2 = resp.on_frame(body(*m1));
  ASSERT_TRUE(m2 && *m2);
  EXPECT_EQ((*m2)->size(), 2u + 216);  // libp2p-wire.md §4.3 sizes with an Ed25519 key
  auto m3 = init.on_frame(body(**m2));
  ASSERT_TRUE(m3 && *m3) << (m3 ? "" : m3.error().message());
  EXPECT_EQ((*m3)->size(), 2u + 184);
  EXPECT_TRUE(init.done());
  auto last = resp.on_frame(body(**m3));
  ASSERT_TRUE(last);
  EXPECT_FALSE(*last);
  ASSERT_TRUE(resp.done());

  auto a = init.finish();
  auto b = resp.finish();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->remote, p.listener_id.public_key().peer_id());
  EXPECT_EQ(b->remote, p.dialer_id.public_key().peer_id());
  EXPECT_EQ(a->muxer, "/yamux/1.0.0");
  EXPECT_EQ(b->muxer, "/yamux/1.0.0");
  EXPECT_EQ(a->remote_muxers, std::vector<std::string>{"/yamux/1.0.0"});
  EXPECT_EQ(a->handshake_hash, b->handshake_hash);
  EXPECT_EQ(a->remote_key.type, identity::KeyType::ed25519);
  EXPECT_EQ(init.finish().error(), errc::invalid_state);  // once only

  const Bytes big(300000, 0x5a);
  EXPECT_EQ(*b->channel.feed(*a->channel.encrypt(big)), big);
  EXPECT_EQ(to_string(*a->channel.feed(*b->channel.encrypt(as_bytes("hi")))), "hi");
  EXPECT_EQ(*a->channel.feed(*b->channel.encrypt(big)), big);
  EXPECT_EQ(to_string(*b->channel.feed(*a->channel.encrypt(as_bytes("yo")))), "yo");
}

TEST(Handshake, InjectedKeysGiveTheSameTranscript) {
  Peers p;
  auto keys = [](std::uint8_t s, std::uint8_t e) {
    Options o;
    o.static_key = *X25519Keypair::from_secret(Bytes(32, s));
    o.ephemeral_key = *X25519Keypair::from_secret(Bytes(32, e));
    return o;
  };
  Bytes first;
  for (int round = 0; round < 2; ++round) {
    auto init = Handshake::initiator(p.dialer_id, std::nullopt, keys(1, 2));
    auto resp = Handshake::responder(p.listener_id, std::nullopt, keys(3, 4));
    auto m1 = *init.start();
    auto m2 = **resp.on_frame(body(m1));
    auto m3 = **init.on_frame(body(m2));
    Bytes all = m1;
    all.insert(all.end(), m2.begin(), m2.end());
    all.insert(all.end(), m3.begin(), m3.end());
    if (round == 0) first = all;
    else EXPECT_EQ(all, first);
  }
}

TEST(Handshake, LeftoverTransportBytesGoToTheChannel) {
  Peers p;
  auto init = Handshake::initiator(p.dialer_id, std::nullopt);
  auto resp = Handshake::responder(p.listener_id);
  auto m2 = **resp.on_frame(body(*init.start()));
  Bytes wire = **init.on_frame(body(m2));
  auto a = init.finish();
  ASSERT_TRUE(a);
  auto early = *a->channel.encrypt(as_bytes("/yamux frames right away"));
  wire.insert(wire.end(), early.begin(), early.end());

  FrameReader reader;  // the responder's driver got msg3 and a transport frame in one read
  ASSERT_TRUE(reader.append(wire));
  ASSERT_TRUE(resp.on_frame(*reader.next()));
  ASSERT_TRUE(resp.done());
  auto b = resp.finish();
  ASSERT_TRUE(b);
  EXPECT_EQ(to_string(*b->channel.feed(reader.take_buffered())), "/yamux frames right away");
}

TEST(Handshake, MuxerNegotiationFollowsGo) {
  Peers p;
  Options mplex_first;
  mplex_first.muxers = {"/mplex/6.7.0", "/yamux/1.0.0"};
  Options none;
  none.muxers = {};
  {
    auto init = Handshake::initiator(p.dialer_id, std::nullopt, mplex_first);
    auto resp = Handshake::responder(p.listener_id);
    ASSERT_TRUE(run(init, resp));
    EXPECT_EQ(init.finish()->muxer, "/yamux/1.0.0");
    auto b = resp.finish();
    EXPECT_EQ(b->muxer, "/yamux/1.0.0");
    EXPECT_EQ(b->remote_muxers, mplex_first.muxers);
  }
  {
    auto init = Handshake::initiator(p.dialer_id, std::nullopt);
    auto resp = Handshake::responder(p.listener_id, std::nullopt, none);
    ASSERT_TRUE(run(init, resp));
    EXPECT_EQ(init.finish()->muxer, std::nullopt);  // fall back to multistream-select
    EXPECT_EQ(resp.finish()->muxer, std::nullopt);
  }
}

TEST(Handshake, ExpectedPeerMismatchNamesBothIds) {
  Peers p;
  const auto someone_else = Ed25519Keypair::generate().public_key().peer_id();
  auto init = Handshake::initiator(p.dialer_id, someone_else);
  auto resp = Handshake::responder(p.listener_id);
  auto m2 = **resp.on_frame(body(*init.start()));
  auto r = init.on_frame(body(m2));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::peer_id_mismatch);
  EXPECT_NE(r.error().detail().find(someone_else.to_string()), std::string::npos);
  EXPECT_NE(r.error().detail().find(p.listener_id.public_key().peer_id().to_string()),
            std::string::npos);
  EXPECT_TRUE(init.failed());
  EXPECT_EQ(init.on_frame(body(m2)).error(), errc::invalid_state);
  EXPECT_EQ(init.finish().error(), errc::invalid_state);

  // A responder that expects a peer checks msg3 the same way.
  auto init2 = Handshake::initiator(p.dialer_id, std::nullopt);
  auto resp2 = Handshake::responder(p.listener_id, someone_else);
  EXPECT_EQ(run(init2, resp2).error(), errc::peer_id_mismatch);
}

// A hostile responder: correct Noise, but a payload of its choosing in msg2.
Result<std::optional<Bytes>> msg2_with_payload(Handshake& init, const Bytes& payload) {
  HandshakeState evil(Role::responder, X25519Keypair::generate());
  CF_TRY(evil.read_message(body(*init.start())));
  CF_TRY_ASSIGN(m2, evil.write_message(payload));
  return init.on_frame(m2);
}

TEST(Handshake, HostilePayloadsFail) {
  Peers p;
  const PublicKey unrelated_static = X25519Keypair::generate().public_key;
  {  // signed over another static key than the one in the handshake
    auto init = Handshake::initiator(p.dialer_id, std::nullopt);
    auto payload = encode_payload(make_payload(p.listener_id, unrelated_static, {"/yamux/1.0.0"}));
    EXPECT_EQ(msg2_with_payload(init, payload).error(), errc::invalid_signature);
  }
  {  // an identity key that is not a key
    auto init = Handshake::initiator(p.dialer_id, std::nullopt);
    HandshakePayload bad{Bytes{0x08, 0x01, 0x12, 0x03, 1, 2, 3}, Bytes(64), std::nullopt};
    EXPECT_EQ(msg2_with_payload(init, encode_payload(bad)).error(), errc::invalid_identity_key);
  }
  {  // not a protobuf at all
    auto init = Handshake::initiator(p.dialer_id, std::nullopt);
    EXPECT_EQ(msg2_with_payload(init, Bytes{0xff, 0xff}).error(), errc::invalid_payload);
  }
}

TEST(Handshake, TamperedSignatureFromTheInitiatorFails) {
  Peers p;
  auto init = Handshake::responder(p.listener_id);  // the victim is the responder here
  HandshakeState evil(Role::initiator, X25519Keypair::generate());
  auto m2 = init.on_frame(*evil.write_message({}));
  ASSERT_TRUE(m2 && *m2);
  ASSERT_TRUE(evil.read_message(body(**m2)));
  auto payload = make_payload(p.dialer_id, evil.static_keypair().public_key, {"/yamux/1.0.0"});
  payload.identity_sig[0] ^= 0x01;
  EXPECT_EQ(init.on_frame(*evil.write_message(encode_payload(payload))).error(),
            errc::invalid_signature);
}

TEST(Handshake, BrokenFramesFail) {
  Peers p;
  {  // truncated msg2
    auto init = Handshake::initiator(p.dialer_id, std::nullopt);
    auto resp = Handshake::responder(p.listener_id);
    auto m2 = body(**resp.on_frame(body(*init.start())));
    EXPECT_EQ(init.on_frame(ByteView(m2).first(60)).error(), errc::truncated_message);
  }
  {  // flipped ciphertext bit in msg2's payload
    auto init = Handshake::initiator(p.dialer_id, std::nullopt);
    auto resp = Handshake::responder(p.listener_id);
    auto m2 = body(**resp.on_frame(body(*init.start())));
    m2[150] ^= 0x10;
    EXPECT_EQ(init.on_frame(m2).error(), errc::decrypt_failed);
  }
  {  // flipped bit in msg3's encrypted static key
    auto init = Handshake::initiator(p.dialer_id, std::nullopt);
    auto resp = Handshake::responder(p.listener_id);
    auto m3 = body(**init.on_frame(body(**resp.on_frame(body(*init.start())))));
    m3[3] ^= 0x01;
    EXPECT_EQ(resp.on_frame(m3).error(), errc::decrypt_failed);
  }
  {  // a frame above 65535 bytes
    auto resp = Handshake::responder(p.listener_id);
    EXPECT_EQ(resp.on_frame(Bytes(65536, 1)).error(), errc::message_too_large);
  }
}

TEST(Handshake, MisuseIsInvalidState) {
  Peers p;
  auto resp = Handshake::responder(p.listener_id);
  EXPECT_EQ(resp.start().error(), errc::invalid_state);
  EXPECT_EQ(resp.finish().error(), errc::invalid_state);
  auto init = Handshake::initiator(p.dialer_id, std::nullopt);
  EXPECT_EQ(init.on_frame(Bytes(32)).error(), errc::unexpected_message);  // before start()
  auto init2 = Handshake::initiator(p.dialer_id, std::nullopt);
  ASSERT_TRUE(init2.start());
  EXPECT_EQ(init2.start().error(), errc::invalid_state);
}

}  // namespace
}  // namespace cf::p2p::noise
