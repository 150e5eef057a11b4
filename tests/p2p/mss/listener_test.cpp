// multistream-select responder, following go-multistream v0.6.1 Negotiate and the lazy
// initiator of lazyClient.go (header + proposal + first application bytes in one write).
#include "cf/p2p/mss/listener.hpp"

#include <gtest/gtest.h>

#include "cf/p2p/mss/dialer.hpp"
#include "cf/p2p/mss/errc.hpp"

namespace cf::p2p::mss {
namespace {

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Listener make() { return Listener({"/noise", "/yamux/1.0.0", "/ipfs/id/1.0.0"}); }

TEST(MssListener, SendsItsHeaderAtOnce) {
  EXPECT_EQ(to_hex(make().start()), "132f6d756c746973747265616d2f312e302e300a");  // [CALC]
}

TEST(MssListener, EchoesASupportedProtocol) {
  Listener l = make();
  auto step = l.on_bytes(concat({encode_message(protocol_id), encode_message("/noise")}));
  ASSERT_TRUE(step) << step.error().message();
  EXPECT_EQ(to_hex(step->to_send), "072f6e6f6973650a");
  ASSERT_TRUE(step->selected);
  EXPECT_EQ(step->selected->protocol, "/noise");
  EXPECT_TRUE(step->selected->leftover.empty());
  EXPECT_EQ(l.state(), Listener::State::done);
}

TEST(MssListener, AnswersNaToUnsupportedAndToLs) {
  Listener l = make();
  auto step = l.on_bytes(concat({encode_message(protocol_id), encode_message("/tls/1.0.0"),
                                 encode_message(ls)}));
  ASSERT_TRUE(step);
  EXPECT_EQ(to_hex(step->to_send), "036e610a" "036e610a");  // [SPECS] na, twice
  EXPECT_FALSE(step->selected);
  auto next = l.on_bytes(encode_message("/yamux/1.0.0"));
  ASSERT_TRUE(next);
  EXPECT_EQ(to_hex(next->to_send), "0d2f79616d75782f312e302e300a");
  ASSERT_TRUE(next->selected);
}

TEST(MssListener, RequiresTheHeaderFirst) {
  Listener l = make();
  EXPECT_EQ(l.on_bytes(encode_message("/noise")).error(), errc::wrong_header);
  EXPECT_EQ(l.state(), Listener::State::failed);
  EXPECT_EQ(l.on_bytes(encode_message(protocol_id)).error(), errc::finished);
  Listener garbage = make();
  EXPECT_EQ(garbage.on_bytes(Bytes{0x03, 0x01, 0x02, 0x00}).error(), errc::missing_newline);
}

TEST(MssListener, RejectsTooLongAndMissingNewline) {
  Listener big = make();
  EXPECT_EQ(big.on_bytes(concat({encode_message(protocol_id),
                                 encode_message(std::string(1024, 'x'))})).error(),
            errc::too_large);
  Listener noline = make();
  EXPECT_EQ(noline.on_bytes(concat({encode_message(protocol_id), Bytes{0x03, 'a', 'b', 'c'}}))
                .error(),
            errc::missing_newline);
}

TEST(MssListener, LazyClientLeftoverIsHandedBackUntouched) {
  const Bytes app{0x00, 0x0a, 0xff, '\n', 0x13, 0x2f};  // anything, even message-like bytes
  const Bytes in = concat({encode_message(protocol_id), encode_message("/ipfs/id/1.0.0"), app});
  for (std::size_t cut = 0; cut <= in.size(); ++cut) {
    Listener l = make();
    auto first = l.on_bytes(ByteView(in).first(cut));
    ASSERT_TRUE(first) << "cut " << cut;
    Bytes sent = first->to_send;
    Bytes rest;
    std::optional<Selected> selected = first->selected;
    if (selected) {
      rest = selected->leftover;
      rest.insert(rest.end(), in.begin() + static_cast<std::ptrdiff_t>(cut), in.end());
    } else {
      auto second = l.on_bytes(ByteView(in).subspan(cut));
      ASSERT_TRUE(second) << "cut " << cut;
      sent.insert(sent.end(), second->to_send.begin(), second->to_send.end());
      selected = second->selected;
      ASSERT_TRUE(selected) << "cut " << cut;
      rest = selected->leftover;
    }
    EXPECT_EQ(selected->protocol, "/ipfs/id/1.0.0");
    EXPECT_EQ(sent, encode_message("/ipfs/id/1.0.0")) << "cut " << cut;
    EXPECT_EQ(rest, app) << "cut " << cut;
  }
}

TEST(MssListener, ByteAtATime) {
  const Bytes in = concat({encode_message(protocol_id), encode_message("/tls/1.0.0"),
                           encode_message("/noise")});
  Listener l = make();
  Bytes sent;
  std::optional<Selected> selected;
  for (std::uint8_t b : in) {
    ASSERT_FALSE(selected);
    auto step = l.on_bytes(ByteView(&b, 1));
    ASSERT_TRUE(step);
    sent.insert(sent.end(), step->to_send.begin(), step->to_send.end());
    selected = step->selected;
  }
  ASSERT_TRUE(selected);
  EXPECT_EQ(sent, concat({encode_message(na), encode_message("/noise")}));
}

// A Dialer talking to a Listener through in-memory pipes, the listener supporting only the
// dialer's second choice.
TEST(MssListener, NegotiatesWithADialer) {
  auto dialer = Dialer::create({"/tls/1.0.0", "/noise"});
  ASSERT_TRUE(dialer);
  Listener listener = make();
  Bytes to_listener = dialer->start();
  Bytes to_dialer = listener.start();
  std::optional<Selected> dialer_done, listener_done;
  for (int round = 0; round < 4 && !(dialer_done && listener_done); ++round) {
    if (!listener_done) {
      auto step = listener.on_bytes(std::exchange(to_listener, {}));
      ASSERT_TRUE(step) << step.error().message();
      to_dialer.insert(to_dialer.end(), step->to_send.begin(), step->to_send.end());
      listener_done = step->selected;
    }
    if (!dialer_done) {
      auto step = dialer->on_bytes(std::exchange(to_dialer, {}));
      ASSERT_TRUE(step) << step.error().message();
      to_listener.insert(to_listener.end(), step->to_send.begin(), step->to_send.end());
      dialer_done = step->selected;
    }
  }
  ASSERT_TRUE(dialer_done);
  ASSERT_TRUE(listener_done);
  EXPECT_EQ(dialer_done->protocol, "/noise");
  EXPECT_EQ(listener_done->protocol, "/noise");
}

}  // namespace
}  // namespace cf::p2p::mss
