// Yamux pings and keepalive (session_ping.cpp): answering the peer's pings at once, timing our
// own, and the keepalive of go-yamux session.go (startKeepalive, extendKeepalive;
// libp2p-wire.md §5.5) with time passed in.
#include <gtest/gtest.h>

#include <string>

#include "cf/p2p/yamux/errc.hpp"
#include "cf/p2p/yamux/session.hpp"

namespace cf::p2p::yamux {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const TimePoint t0 = TimePoint{} + seconds(1000);

TEST(YamuxPing, PingIsAnsweredAndTimed) {
  Session client(Role::client);
  Session server(Role::server);
  auto value = client.ping(t0);
  ASSERT_TRUE(value);
  Bytes ping = client.take_output();
  EXPECT_EQ(to_hex(ping), "000200010000000000000000");
  ASSERT_TRUE(server.feed(ping, t0 + milliseconds(2)));
  Bytes pong = server.take_output();
  EXPECT_EQ(to_hex(pong), "000200020000000000000000");  // same value, ACK
  auto received = server.next_event();
  ASSERT_TRUE(received);
  EXPECT_EQ(std::get<PingReceived>(*received).value, *value);
  ASSERT_TRUE(client.feed(pong, t0 + milliseconds(5)));
  auto answered = client.next_event();
  ASSERT_TRUE(answered);
  EXPECT_EQ(std::get<PongReceived>(*answered).value, *value);
  EXPECT_EQ(std::get<PongReceived>(*answered).rtt, milliseconds(5));
  EXPECT_EQ(client.rtt(), milliseconds(5));
  // A second ACK for the same value is ignored (go: "the peer may send multiple responses").
  ASSERT_TRUE(client.feed(pong, t0 + milliseconds(6)));
  EXPECT_FALSE(client.next_event());
}

TEST(YamuxPing, ValuesAreFreshPerPing) {
  Session s(Role::client);
  EXPECT_EQ(*s.ping(t0), 0u);
  EXPECT_EQ(*s.ping(t0), 1u);
  EXPECT_EQ(to_hex(s.take_output()), "000200010000000000000000000200010000000000000001");
}

TEST(YamuxPing, PongsGoAheadOfQueuedData) {
  Session s(Role::server);
  ASSERT_TRUE(s.feed(encode_header({0, FrameType::window_update, flag_syn, 1, 0}), t0));
  ASSERT_TRUE(s.write(1, as_bytes("data")));
  ASSERT_TRUE(s.feed(encode_header({0, FrameType::ping, flag_syn, 0, 9}), t0));
  const std::string out = to_hex(s.take_output());
  EXPECT_EQ(out.substr(0, 24), "000200020000000000000009");
}

// The connection's writer passes one buffer to every take_output: whatever it held is dropped,
// and each call returns exactly what was queued since the last, pongs first.
TEST(YamuxPing, TakeOutputIntoAReusedBuffer) {
  Session s(Role::server);
  Bytes buffer(40, 0xee);  // stale bytes of the last write
  ASSERT_TRUE(s.feed(encode_header({0, FrameType::window_update, flag_syn, 1, 0}), t0));
  s.take_output(buffer);
  EXPECT_EQ(to_hex(buffer), "000100020000000100000000");  // the ACK only
  ASSERT_TRUE(s.write(1, as_bytes("ab")));
  s.take_output(buffer);
  EXPECT_EQ(to_hex(buffer), "0000000000000001000000026162");
  ASSERT_TRUE(s.write(1, as_bytes("c")));
  ASSERT_TRUE(s.feed(encode_header({0, FrameType::ping, flag_syn, 0, 7}), t0));
  s.take_output(buffer);
  EXPECT_EQ(to_hex(buffer), "000200020000000000000007" "00000000000000010000000163");
  EXPECT_FALSE(s.has_output());
  s.take_output(buffer);
  EXPECT_TRUE(buffer.empty());
}

TEST(YamuxPing, OutstandingPingsAreBounded) {
  Config c;
  c.max_outstanding_pings = 2;
  Session s(Role::client, c);
  ASSERT_TRUE(s.ping(t0));
  ASSERT_TRUE(s.ping(t0));
  EXPECT_EQ(s.ping(t0).error(), errc::too_many_pings);
  // Zero is taken as one, so the keepalive can always ping.
  c.max_outstanding_pings = 0;
  Session z(Role::client, c);
  ASSERT_TRUE(z.ping(t0));
  EXPECT_EQ(z.ping(t0).error(), errc::too_many_pings);
}

TEST(YamuxPing, KeepaliveCanBeTurnedOff) {
  Config c;
  c.keepalive_interval = milliseconds(0);
  Session s(Role::client, c);
  ASSERT_TRUE(s.on_tick(t0));
  ASSERT_TRUE(s.on_tick(t0 + seconds(3600)));
  EXPECT_FALSE(s.has_output());
  EXPECT_FALSE(s.next_deadline());
  // A ping of our own is still timed out.
  ASSERT_TRUE(s.ping(t0 + seconds(3600)));
  EXPECT_EQ(s.next_deadline(), t0 + seconds(3610));
  EXPECT_EQ(s.on_tick(t0 + seconds(3610)).error(), errc::keepalive_timeout);
}

TEST(YamuxPing, KeepalivePingsWhenIdleAndTimesOut) {
  Session s(Role::client);
  EXPECT_FALSE(s.next_deadline());
  ASSERT_TRUE(s.on_tick(t0));  // baseline
  EXPECT_EQ(s.next_deadline(), t0 + seconds(30));
  ASSERT_TRUE(s.on_tick(t0 + seconds(29)));
  EXPECT_FALSE(s.has_output());
  ASSERT_TRUE(s.on_tick(t0 + seconds(30)));
  EXPECT_EQ(to_hex(s.take_output()), "000200010000000000000000");
  EXPECT_EQ(s.next_deadline(), t0 + seconds(40));
  ASSERT_TRUE(s.on_tick(t0 + seconds(39)));
  auto st = s.on_tick(t0 + seconds(40));
  EXPECT_EQ(st.error(), errc::keepalive_timeout);
  EXPECT_TRUE(s.is_closed());
  auto e = s.next_event();
  ASSERT_TRUE(e);
  EXPECT_EQ(std::get<SessionError>(*e).error, errc::keepalive_timeout);
}

TEST(YamuxPing, AnsweredKeepaliveAndTrafficPostponeTheNextPing) {
  Session s(Role::client);
  ASSERT_TRUE(s.on_tick(t0));
  ASSERT_TRUE(s.on_tick(t0 + seconds(30)));
  (void)s.take_output();
  ASSERT_TRUE(s.feed(encode_header({0, FrameType::ping, flag_ack, 0, 0}), t0 + seconds(31)));
  ASSERT_TRUE(s.on_tick(t0 + seconds(50)));
  EXPECT_FALSE(s.is_closed());
  EXPECT_FALSE(s.has_output());
  EXPECT_EQ(s.next_deadline(), t0 + seconds(61));
  ASSERT_TRUE(s.feed(encode_header({0, FrameType::window_update, 0, 99, 0}), t0 + seconds(60)));
  EXPECT_EQ(s.next_deadline(), t0 + seconds(90));
}

}  // namespace
}  // namespace cf::p2p::yamux
