// Ping, following libp2p/specs ping/ping.md and go-libp2p ping.go (32 bytes echoed, 10 s per
// ping). Time is a fake steady_clock time point advanced by hand.
#include "cf/p2p/ping/ping.hpp"

#include <gtest/gtest.h>

#include <numeric>

#include "cf/p2p/ping/errc.hpp"

namespace cf::p2p::ping {
namespace {

using namespace std::chrono_literals;

const TimePoint t0 = TimePoint{} + 1000s;

Payload counting() {
  Payload p;
  std::iota(p.begin(), p.end(), std::uint8_t{1});
  return p;
}

TEST(PingPinger, MeasuresTheRoundTrip) {
  Pinger pinger;
  const Payload payload = counting();
  auto out = pinger.start(payload, t0);
  ASSERT_TRUE(out);
  EXPECT_EQ(*out, Bytes(payload.begin(), payload.end()));
  EXPECT_TRUE(pinger.outstanding());
  auto half = pinger.on_bytes(ByteView(*out).first(10), t0 + 5ms);
  ASSERT_TRUE(half);
  EXPECT_FALSE(*half);
  auto rtt = pinger.on_bytes(ByteView(*out).subspan(10), t0 + 42ms);
  ASSERT_TRUE(rtt);
  ASSERT_TRUE(*rtt);
  EXPECT_EQ(**rtt, 42ms);
  EXPECT_FALSE(pinger.outstanding());
  // The stream stays usable for the next ping.
  ASSERT_TRUE(pinger.start(random_payload(), t0 + 1s));
}

TEST(PingPinger, RejectsAWrongEcho) {
  Pinger pinger;
  Bytes out = *pinger.start(counting(), t0);
  out[31] ^= 0x80;
  EXPECT_EQ(pinger.on_bytes(out, t0 + 1ms).error(), errc::mismatch);
}

TEST(PingPinger, RejectsUnexpectedBytes) {
  Pinger idle;
  EXPECT_EQ(idle.on_bytes(Bytes{1}, t0).error(), errc::unexpected_bytes);
  Pinger extra;
  Bytes out = *extra.start(counting(), t0);
  out.push_back(0);
  EXPECT_EQ(extra.on_bytes(out, t0).error(), errc::unexpected_bytes);
  Pinger empty;
  EXPECT_FALSE(*empty.on_bytes({}, t0));  // nothing read is not an error
}

TEST(PingPinger, OnePingAtATime) {
  Pinger pinger;
  ASSERT_TRUE(pinger.start(counting(), t0));
  EXPECT_EQ(pinger.start(counting(), t0).error(), errc::busy);
}

TEST(PingPinger, TimesOutAfterTenSeconds) {
  Pinger pinger;
  EXPECT_TRUE(pinger.check(t0 + 1h));  // nothing outstanding
  ASSERT_TRUE(pinger.start(counting(), t0));
  EXPECT_TRUE(pinger.check(t0 + 9999ms));
  EXPECT_EQ(pinger.check(t0 + 10s).error(), errc::timed_out);
}

TEST(PingResponder, EchoesEveryThirtyTwoBytes) {
  Responder responder;
  Bytes two(64);
  std::iota(two.begin(), two.end(), std::uint8_t{0});
  EXPECT_TRUE(responder.on_bytes(ByteView(two).first(31)).empty());
  EXPECT_EQ(responder.pending(), 31u);
  EXPECT_EQ(responder.on_bytes(ByteView(two).subspan(31, 1)), Bytes(two.begin(), two.begin() + 32));
  EXPECT_EQ(responder.pending(), 0u);
  Bytes echoed;
  for (std::uint8_t b : ByteView(two).subspan(32)) {
    const Bytes e = responder.on_bytes(ByteView(&b, 1));
    echoed.insert(echoed.end(), e.begin(), e.end());
  }
  EXPECT_EQ(echoed, Bytes(two.begin() + 32, two.end()));
  const Bytes three(100, 7);
  EXPECT_EQ(responder.on_bytes(three).size(), 96u);
  EXPECT_EQ(responder.pending(), 4u);
}

TEST(PingResponder, TalksToAPinger) {
  Pinger pinger;
  Responder responder;
  for (int i = 0; i < 3; ++i) {
    const TimePoint sent = t0 + std::chrono::seconds(i);
    const Bytes out = *pinger.start(random_payload(), sent);
    auto rtt = pinger.on_bytes(responder.on_bytes(out), sent + 3ms);
    ASSERT_TRUE(rtt);
    ASSERT_TRUE(*rtt);
    EXPECT_EQ(**rtt, 3ms);
  }
}

TEST(PingPayload, RandomPayloadsDiffer) { EXPECT_NE(random_payload(), random_payload()); }

}  // namespace
}  // namespace cf::p2p::ping
