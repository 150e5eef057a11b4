// Two yamux Sessions (client and server) wired back to back in memory: opening, data both
// ways with window back-pressure, half-close, reset, ping RTT, GoAway, many streams and the
// stream bounds. Behaviour checked against go-yamux v5 session.go/stream.go
// (libp2p-wire.md §5).
#include "cf/p2p/yamux/session.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cf/p2p/yamux/errc.hpp"

namespace cf::p2p::yamux {
namespace {

using std::chrono::seconds;

const TimePoint t0 = TimePoint{} + seconds(1000);

template <typename T>
std::vector<T> events_of(const std::vector<Event>& events) {
  std::vector<T> out;
  for (const auto& e : events) {
    if (const auto* v = std::get_if<T>(&e)) out.push_back(*v);
  }
  return out;
}

Bytes pattern(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>((i * 7 + i / 251) & 0xff);
  return b;
}

// A client and a server joined by in-memory pipes; events are collected per side.
struct Pair {
  explicit Pair(Config client_config = {}, Config server_config = {})
      : client(Role::client, client_config), server(Role::server, server_config) {}

  // Moves output across until both sides are quiet.
  void pump(TimePoint now = t0) {
    for (int round = 0; round < 1000; ++round) {
      Bytes to_server = client.take_output();
      Bytes to_client = server.take_output();
      if (to_server.empty() && to_client.empty()) break;
      if (!to_server.empty()) (void)server.feed(to_server, now);
      if (!to_client.empty()) (void)client.feed(to_client, now);
      drain();
    }
    drain();
  }

  void drain() {
    while (auto e = client.next_event()) client_events.push_back(std::move(*e));
    while (auto e = server.next_event()) server_events.push_back(std::move(*e));
  }

  Session client;
  Session server;
  std::vector<Event> client_events;
  std::vector<Event> server_events;
};

// "<c><id>" without `"literal" + std::string`, which trips GCC 12's -Wrestrict at -O3.
std::string tagged(char c, StreamId id) {
  std::string s(1, c);
  s += std::to_string(id);
  return s;
}

std::string read_all(Session& s, StreamId id) {
  auto r = s.read(id, SIZE_MAX);
  if (r) return to_string(*r);
  std::string failed = "error: ";
  failed += r.error().message();
  return failed;
}

TEST(YamuxSession, OpenUsesParityAndIsAckedAtOnce) {
  Pair p;
  auto c1 = p.client.open_stream();
  auto c3 = p.client.open_stream();
  auto s2 = p.server.open_stream();
  ASSERT_TRUE(c1 && c3 && s2);
  EXPECT_EQ(*c1, 1u);
  EXPECT_EQ(*c3, 3u);
  EXPECT_EQ(*s2, 2u);
  EXPECT_FALSE(p.client.stream_info(1)->established);
  p.pump();
  ASSERT_EQ(events_of<StreamOpened>(p.server_events).size(), 2u);
  EXPECT_EQ(events_of<StreamOpened>(p.server_events)[1].stream, 3u);
  ASSERT_EQ(events_of<StreamOpened>(p.client_events).size(), 1u);
  EXPECT_EQ(events_of<StreamAccepted>(p.client_events).size(), 2u);
  EXPECT_EQ(events_of<StreamAccepted>(p.server_events).size(), 1u);
  EXPECT_TRUE(p.client.stream_info(1)->established);
  EXPECT_EQ(p.client.stream_count(), 3u);
  EXPECT_EQ(p.server.stream_count(), 3u);
}

TEST(YamuxSession, OpeningFrameIsWindowUpdateSyn) {
  Session s(Role::client);
  ASSERT_TRUE(s.open_stream());
  EXPECT_EQ(to_hex(s.take_output()), "000100010000000100000000");
}

TEST(YamuxSession, SmallDataBothWays) {
  Pair p;
  const StreamId id = *p.client.open_stream();
  ASSERT_EQ(*p.client.write(id, as_bytes("hello")), 5u);
  p.pump();
  auto avail = events_of<DataAvailable>(p.server_events);
  ASSERT_EQ(avail.size(), 1u);
  EXPECT_EQ(avail[0].buffered, 5u);
  EXPECT_EQ(read_all(p.server, id), "hello");
  ASSERT_EQ(*p.server.write(id, as_bytes("world")), 5u);
  p.pump();
  EXPECT_EQ(read_all(p.client, id), "world");
  EXPECT_EQ(read_all(p.client, id), "");  // nothing buffered: empty, not an error
}

TEST(YamuxSession, FiveMegabytesWithBackPressure) {
  Pair p;
  const StreamId id = *p.client.open_stream();
  const Bytes data = pattern(5 * 1024 * 1024);
  std::size_t written = 0;
  written += *p.client.write(id, data);
  EXPECT_EQ(written, initial_stream_window);  // the writer stops at the peer's window
  EXPECT_EQ(*p.client.write(id, ByteView(data).subspan(written)), 0u);
  p.pump();
  EXPECT_EQ(p.server.stream_info(id)->buffered, initial_stream_window);
  EXPECT_EQ(*p.client.write(id, ByteView(data).subspan(written)), 0u);  // reader not consuming

  Bytes received;
  while (received.size() < data.size()) {
    // Read in uneven pieces; each half-window consumed releases a WindowUpdate.
    auto chunk = p.server.read(id, 100'000);
    ASSERT_TRUE(chunk);
    received.insert(received.end(), chunk->begin(), chunk->end());
    p.pump();
    const std::size_t before = written;
    if (written < data.size()) written += *p.client.write(id, ByteView(data).subspan(written));
    if (written > before) p.pump();
    ASSERT_LE(p.server.stream_info(id)->buffered, initial_stream_window);
  }
  EXPECT_EQ(received, data);
  EXPECT_FALSE(events_of<WindowAvailable>(p.client_events).empty());
  EXPECT_FALSE(p.client.is_closed());
  EXPECT_FALSE(p.server.is_closed());
}

TEST(YamuxSession, WindowUpdateAfterHalfTheWindowIsConsumed) {
  Pair p;
  const StreamId id = *p.client.open_stream();
  p.pump();
  const Bytes data = pattern(initial_stream_window);
  ASSERT_EQ(*p.client.write(id, data), data.size());
  p.pump();
  ASSERT_TRUE(p.server.read(id, initial_stream_window / 2 - 1));
  EXPECT_FALSE(p.server.has_output());  // below half: no update yet (go GrowTo)
  ASSERT_TRUE(p.server.read(id, 1));
  EXPECT_EQ(to_hex(p.server.take_output()), "000100000000000100020000");  // delta 128 KiB
}

TEST(YamuxSession, WriteSplitsIntoFramesOfAtMost64KiB) {
  Session s(Role::client);
  const StreamId id = *s.open_stream();
  (void)s.take_output();
  ASSERT_EQ(*s.write(id, pattern(200'000)), 200'000u);
  FrameReader reader(initial_stream_window);
  reader.feed(s.take_output());
  std::vector<std::uint32_t> sizes;
  while (auto f = reader.next()) {
    if (!*f) break;
    sizes.push_back((*f)->header.length);
  }
  EXPECT_EQ(sizes, (std::vector<std::uint32_t>{65524, 65524, 65524, 3428}));
}

TEST(YamuxSession, AcceptsThePeerGrowingOurSendWindow) {
  // go auto-tunes its receive window up to 16 MiB by sending larger deltas.
  Pair p;
  const StreamId id = *p.client.open_stream();
  p.pump();
  Bytes grow = encode_header({0, FrameType::window_update, 0, id, 4 * 1024 * 1024});
  ASSERT_TRUE(p.client.feed(grow, t0));
  EXPECT_EQ(p.client.stream_info(id)->send_window, initial_stream_window + 4u * 1024 * 1024);
  EXPECT_EQ(*p.client.write(id, pattern(5 * 1024 * 1024)),
            initial_stream_window + 4u * 1024 * 1024);
}

TEST(YamuxSession, LargerReceiveWindowIsGrantedInSynAndAck) {
  Config big;
  big.receive_window = 1024 * 1024;
  Pair p(big, big);
  const StreamId id = *p.client.open_stream();
  p.pump();
  EXPECT_EQ(p.server.stream_info(id)->send_window, 1024u * 1024);
  EXPECT_EQ(p.client.stream_info(id)->send_window, 1024u * 1024);
  EXPECT_EQ(*p.client.write(id, pattern(2 * 1024 * 1024)), 1024u * 1024);
  p.pump();
  EXPECT_FALSE(p.server.is_closed());
  EXPECT_EQ(p.server.stream_info(id)->buffered, 1024u * 1024);
}

TEST(YamuxSession, FinHalfClosesAndBothFinsRemoveTheStream) {
  Pair p;
  const StreamId id = *p.client.open_stream();
  ASSERT_TRUE(p.client.write(id, as_bytes("request")));
  ASSERT_TRUE(p.client.close_write(id));
  EXPECT_EQ(p.client.write(id, as_bytes("x")).error(), errc::write_closed);
  EXPECT_EQ(p.client.close_write(id).error(), errc::write_closed);
  p.pump();
  ASSERT_EQ(events_of<StreamFinished>(p.server_events).size(), 1u);
  EXPECT_TRUE(p.server.stream_info(id)->remote_fin);
  EXPECT_EQ(read_all(p.server, id), "request");
  // The server can still answer on its half.
  ASSERT_TRUE(p.server.write(id, as_bytes("response")));
  ASSERT_TRUE(p.server.close_write(id));
  EXPECT_EQ(p.server.stream_count(), 0u);  // both FINs, nothing unread: removed
  p.pump();
  EXPECT_EQ(events_of<StreamFinished>(p.client_events).size(), 1u);
  EXPECT_EQ(p.client.stream_count(), 1u);  // "response" is still unread
  EXPECT_EQ(read_all(p.client, id), "response");
  EXPECT_EQ(p.client.stream_count(), 0u);
  EXPECT_EQ(p.client.read(id, 10).error(), errc::unknown_stream);
}

TEST(YamuxSession, ResetCarriesTheErrorCodeAndRemovesTheStream) {
  Pair p;
  const StreamId id = *p.client.open_stream();
  ASSERT_TRUE(p.client.write(id, as_bytes("abc")));
  p.pump();
  ASSERT_TRUE(p.server.reset(id, 0x1005));
  EXPECT_EQ(p.server.stream_count(), 0u);
  EXPECT_EQ(p.server.write(id, as_bytes("x")).error(), errc::unknown_stream);
  p.pump();
  auto resets = events_of<StreamReset>(p.client_events);
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_EQ(resets[0].stream, id);
  EXPECT_TRUE(resets[0].by_peer);
  EXPECT_EQ(resets[0].code, 0x1005u);
  EXPECT_EQ(resets[0].error, errc::stream_reset);
  EXPECT_EQ(p.client.stream_count(), 0u);
  EXPECT_EQ(p.client.reset(id).error(), errc::unknown_stream);
  // A late frame for the reset stream is dropped by the peer, not an error.
  EXPECT_FALSE(p.server.is_closed());
}

TEST(YamuxSession, GoAwayEndsBothSides) {
  Pair p;
  const StreamId id = *p.client.open_stream();
  p.pump();
  p.client.go_away(go_away_normal);
  EXPECT_TRUE(p.client.is_closed());
  EXPECT_EQ(*p.client.close_reason(), errc::local_go_away);
  EXPECT_EQ(p.client.open_stream().error(), errc::session_closed);
  EXPECT_EQ(p.client.write(id, as_bytes("x")).error(), errc::session_closed);
  p.pump();
  auto goaways = events_of<GoAwayReceived>(p.server_events);
  ASSERT_EQ(goaways.size(), 1u);
  EXPECT_EQ(goaways[0].code, go_away_normal);
  EXPECT_TRUE(p.server.is_closed());
  EXPECT_EQ(*p.server.close_reason(), errc::remote_go_away);
  EXPECT_EQ(p.server.stream_count(), 0u);
  EXPECT_EQ(p.server.read(id, 1).error(), errc::session_closed);
  EXPECT_EQ(p.server.feed(as_bytes("anything"), t0).error(), errc::session_closed);
  EXPECT_EQ(p.server.ping(t0).error(), errc::session_closed);
  EXPECT_TRUE(p.server.on_tick(t0 + seconds(100)));
  EXPECT_FALSE(p.server.next_deadline());
}

TEST(YamuxSession, GoAwayCodeIsCarried) {
  Session s(Role::client);
  s.go_away(0x1005);  // go-libp2p ConnGarbageCollected
  EXPECT_EQ(to_hex(s.take_output()), "000300000000000000001005");
  s.go_away(1);  // no second GoAway
  EXPECT_TRUE(s.take_output().empty());
}

TEST(YamuxSession, ManyConcurrentStreams) {
  Pair p;
  std::vector<StreamId> ids;
  for (int i = 0; i < 200; ++i) ids.push_back(*p.client.open_stream());
  for (StreamId id : ids) ASSERT_TRUE(p.client.write(id, as_bytes(tagged('q', id))));
  p.pump();
  EXPECT_EQ(events_of<StreamOpened>(p.server_events).size(), 200u);
  for (StreamId id : ids) {
    ASSERT_EQ(read_all(p.server, id), tagged('q', id));
    ASSERT_TRUE(p.server.write(id, as_bytes(tagged('a', id))));
    ASSERT_TRUE(p.server.close_write(id));
  }
  p.pump();
  for (StreamId id : ids) {
    ASSERT_EQ(read_all(p.client, id), tagged('a', id));
    ASSERT_TRUE(p.client.close_write(id));
  }
  p.pump();
  EXPECT_EQ(p.client.stream_count(), 0u);
  EXPECT_EQ(p.server.stream_count(), 0u);
}

TEST(YamuxSession, InboundStreamsAboveTheBoundAreReset) {
  Config server_config;
  server_config.max_inbound_streams = 4;
  Pair p({}, server_config);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(p.client.open_stream());
  p.pump();
  EXPECT_EQ(events_of<StreamOpened>(p.server_events).size(), 4u);
  auto resets = events_of<StreamReset>(p.client_events);
  ASSERT_EQ(resets.size(), 1u);
  EXPECT_EQ(resets[0].stream, 9u);
  EXPECT_EQ(p.server.stream_count(), 4u);
  EXPECT_FALSE(p.server.is_closed());
  // Closing one frees a slot.
  ASSERT_TRUE(p.server.reset(1));
  ASSERT_TRUE(p.client.open_stream());
  p.pump();
  EXPECT_EQ(events_of<StreamOpened>(p.server_events).size(), 5u);
}

TEST(YamuxSession, OutboundStreamsAreBounded) {
  Config c;
  c.max_outbound_streams = 3;
  Session s(Role::client, c);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(s.open_stream());
  EXPECT_EQ(s.open_stream().error(), errc::too_many_streams);
  ASSERT_TRUE(s.reset(3));
  auto next = s.open_stream();
  ASSERT_TRUE(next);
  EXPECT_EQ(*next, 7u);  // IDs are never reused
}

}  // namespace
}  // namespace cf::p2p::yamux
