// Hostile and malformed input to a yamux Session: each case ends the session (GoAway with the
// protocol-error code queued) or the stream with a clear errc, never a crash. What go-yamux v5
// does in each case (session.go recvLoop, handleStreamMessage, incomingStream) is noted where
// we mirror or deliberately differ.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "cf/p2p/yamux/errc.hpp"
#include "cf/p2p/yamux/fuzz_entry.hpp"
#include "cf/p2p/yamux/session.hpp"

namespace cf::p2p::yamux {
namespace {

const TimePoint t0 = TimePoint{} + std::chrono::seconds(1000);
const std::string go_away_protocol_hex = "000300000000000000000001";

Bytes frame(FrameType type, Flags flags, StreamId id, std::uint32_t length,
            std::string_view payload = {}) {
  Bytes b = encode_header({0, type, flags, id, length});
  b.insert(b.end(), payload.begin(), payload.end());
  return b;
}

Bytes data(StreamId id, std::string_view payload, Flags flags = 0) {
  return frame(FrameType::data, flags, id, static_cast<std::uint32_t>(payload.size()), payload);
}

Bytes wu(StreamId id, Flags flags, std::uint32_t delta = 0) {
  return frame(FrameType::window_update, flags, id, delta);
}

std::vector<Event> drain(Session& s) {
  std::vector<Event> out;
  while (auto e = s.next_event()) out.push_back(std::move(*e));
  return out;
}

// Feeds `wire` to a fresh server Session and expects the session to end with `code`.
void expect_session_error(const Bytes& wire, errc code) {
  Session s(Role::server);
  auto st = s.feed(wire, t0);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error(), code) << st.error().message();
  EXPECT_TRUE(s.is_closed());
  EXPECT_EQ(*s.close_reason(), code);
  const std::string out = to_hex(s.take_output());
  ASSERT_GE(out.size(), 24u);
  EXPECT_EQ(out.substr(out.size() - 24), go_away_protocol_hex);
  auto events = drain(s);
  ASSERT_FALSE(events.empty());
  ASSERT_TRUE(std::holds_alternative<SessionError>(events.back()));
  EXPECT_EQ(std::get<SessionError>(events.back()).error, code);
  EXPECT_EQ(s.feed(wu(1, flag_syn), t0).error(), errc::session_closed);
}

TEST(YamuxHostile, UnknownVersionEndsTheSession) {
  Bytes b = wu(1, flag_syn);
  b[0] = 1;
  expect_session_error(b, errc::invalid_version);
}

TEST(YamuxHostile, UnknownTypeEndsTheSession) {
  expect_session_error(frame(static_cast<FrameType>(4), 0, 0, 0), errc::invalid_type);
}

TEST(YamuxHostile, DataBeyondTheWindowEndsTheSession) {
  // go: checkOverflow fails, GoAway(protocol error), session closed.
  Bytes wire = wu(1, flag_syn);
  const std::string full(initial_stream_window, 'x');
  Bytes first = data(1, full);
  wire.insert(wire.end(), first.begin(), first.end());
  Bytes one = data(1, "y");
  wire.insert(wire.end(), one.begin(), one.end());
  expect_session_error(wire, errc::window_exceeded);
}

TEST(YamuxHostile, DataFrameLargerThanAnyWindowIsRejectedFromItsHeader) {
  // Only the header is sent: the frame is refused before its payload is buffered.
  expect_session_error(frame(FrameType::data, 0, 1, initial_stream_window + 1),
                       errc::frame_too_large);
}

TEST(YamuxHostile, SynReusingAnOpenIdEndsTheSession) {
  // go: "duplicate stream declared", GoAway(protocol error).
  Bytes wire = wu(1, flag_syn);
  Bytes again = data(1, "x", flag_syn);
  wire.insert(wire.end(), again.begin(), again.end());
  expect_session_error(wire, errc::duplicate_stream);
}

TEST(YamuxHostile, SynWithOurParityEndsTheSession) {
  // go: "both yamux endpoints are clients".
  expect_session_error(wu(2, flag_syn), errc::invalid_stream_id);
  Session client(Role::client);
  EXPECT_EQ(client.feed(wu(1, flag_syn), t0).error(), errc::invalid_stream_id);
}

TEST(YamuxHostile, SynForStreamZeroEndsTheSession) {
  expect_session_error(wu(0, flag_syn), errc::invalid_stream_id);
}

TEST(YamuxHostile, SendWindowOverflowEndsTheSession) {
  Bytes wire = wu(1, flag_syn);
  Bytes grow = wu(1, 0, UINT32_MAX);
  wire.insert(wire.end(), grow.begin(), grow.end());
  expect_session_error(wire, errc::send_window_overflow);
}

TEST(YamuxHostile, FramesForUnknownStreamsAreDropped) {
  // go: data for a stream it does not know is drained and ignored; so are window updates.
  Session s(Role::server);
  ASSERT_TRUE(s.feed(data(5, "stray"), t0));
  ASSERT_TRUE(s.feed(wu(7, 0, 1000), t0));
  ASSERT_TRUE(s.feed(wu(9, flag_fin), t0));
  ASSERT_TRUE(s.feed(wu(11, flag_rst, 3), t0));
  ASSERT_TRUE(s.feed(data(0, "to the session"), t0));
  EXPECT_FALSE(s.is_closed());
  EXPECT_TRUE(drain(s).empty());
  EXPECT_FALSE(s.has_output());
}

TEST(YamuxHostile, DataForAClosedStreamIsDropped) {
  Session s(Role::server);
  ASSERT_TRUE(s.feed(wu(1, flag_syn), t0));
  ASSERT_TRUE(s.reset(1));
  (void)s.take_output();
  (void)drain(s);
  ASSERT_TRUE(s.feed(data(1, "late"), t0));
  EXPECT_TRUE(drain(s).empty());
  EXPECT_FALSE(s.is_closed());
}

TEST(YamuxHostile, DataAfterFinResetsOnlyThatStream) {
  Session s(Role::server);
  ASSERT_TRUE(s.feed(wu(1, flag_syn), t0));
  ASSERT_TRUE(s.feed(wu(3, flag_syn), t0));
  ASSERT_TRUE(s.feed(data(1, "last", flag_fin), t0));
  (void)s.take_output();
  (void)drain(s);
  ASSERT_TRUE(s.feed(data(1, "more"), t0));
  EXPECT_FALSE(s.is_closed());
  auto events = drain(s);
  ASSERT_EQ(events.size(), 1u);
  const auto& reset = std::get<StreamReset>(events[0]);
  EXPECT_EQ(reset.stream, 1u);
  EXPECT_FALSE(reset.by_peer);
  EXPECT_EQ(reset.error, errc::data_after_fin);
  EXPECT_EQ(to_hex(s.take_output()), "000100080000000100000000");  // WindowUpdate(RST)
  EXPECT_FALSE(s.stream_info(1));
  EXPECT_TRUE(s.stream_info(3));
}

TEST(YamuxHostile, ZeroLengthFrames) {
  Session s(Role::server);
  ASSERT_TRUE(s.feed(data(1, "", flag_syn), t0));  // open with an empty data frame
  auto events = drain(s);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<StreamOpened>(events[0]));
  ASSERT_TRUE(s.feed(data(1, ""), t0));  // empty data: nothing happens
  ASSERT_TRUE(s.feed(wu(1, 0, 0), t0));  // empty window update: nothing happens
  EXPECT_TRUE(drain(s).empty());
  ASSERT_TRUE(s.feed(data(1, "", flag_fin), t0));  // empty data with FIN: half-close
  events = drain(s);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<StreamFinished>(events[0]));
  ASSERT_TRUE(s.feed(frame(FrameType::ping, 0, 0, 0), t0));  // ping with neither SYN nor ACK
  EXPECT_TRUE(drain(s).empty());
  EXPECT_FALSE(s.is_closed());
}

TEST(YamuxHostile, ResetCodesFromWindowUpdateAndData) {
  // go-yamux v5: WindowUpdate+RST carries a stream error code; Data+RST carries none.
  Session s(Role::server);
  ASSERT_TRUE(s.feed(wu(1, flag_syn), t0));
  ASSERT_TRUE(s.feed(wu(3, flag_syn), t0));
  (void)drain(s);
  ASSERT_TRUE(s.feed(wu(1, flag_rst, 0x1001), t0));
  ASSERT_TRUE(s.feed(data(3, "dropped", flag_rst), t0));
  auto events = drain(s);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<StreamReset>(events[0]).code, 0x1001u);
  EXPECT_EQ(std::get<StreamReset>(events[1]).code, 0u);  // and no DataAvailable
  EXPECT_EQ(s.stream_count(), 0u);
}

TEST(YamuxHostile, UnknownPongsAndFlagsAreIgnored) {
  Session s(Role::client);
  ASSERT_TRUE(s.feed(frame(FrameType::ping, flag_ack, 0, 12345), t0));
  ASSERT_TRUE(s.feed(wu(2, flag_syn | 0x70), t0));  // unknown flag bits are ignored
  auto events = drain(s);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<StreamOpened>(events[0]));
}

TEST(YamuxHostile, GoAwayWithAnErrorCode) {
  Session s(Role::client);
  ASSERT_TRUE(s.feed(frame(FrameType::go_away, 0, 0, go_away_protocol_error), t0));
  EXPECT_TRUE(s.is_closed());
  EXPECT_EQ(*s.close_reason(), errc::remote_go_away);
  auto events = drain(s);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<GoAwayReceived>(events[0]).code, go_away_protocol_error);
  EXPECT_FALSE(s.has_output());  // we do not answer a GoAway
}

// A conversation the server side hears: SYNs, data, a ping, FIN, RST, a GoAway.
Bytes conversation() {
  std::vector<Bytes> frames = {wu(1, flag_syn),
                               data(1, "hello"),
                               data(3, "with syn", flag_syn),
                               frame(FrameType::ping, flag_syn, 0, 77),
                               data(1, "", flag_fin),
                               wu(3, flag_rst, 5),
                               data(5, "", 0),
                               frame(FrameType::go_away, 0, 0, 0)};
  Bytes wire;
  for (const auto& f : frames) wire.insert(wire.end(), f.begin(), f.end());
  return wire;
}

std::string describe(const std::vector<Event>& events) {
  std::string out;
  for (const auto& e : events) {
    out += std::to_string(e.index());
    out += ',';
  }
  return out;
}

TEST(YamuxHostile, InputSplitAtEveryByteOffsetGivesTheSameResult) {
  const Bytes wire = conversation();
  Session whole(Role::server);
  ASSERT_TRUE(whole.feed(wire, t0));
  const auto expected_events = describe(drain(whole));
  const Bytes expected_out = whole.take_output();
  EXPECT_EQ(expected_events, "0,2,0,2,6,3,4,8,");
  for (std::size_t split = 0; split <= wire.size(); ++split) {
    Session s(Role::server);
    ASSERT_TRUE(s.feed(ByteView(wire).first(split), t0)) << split;
    if (split < wire.size()) {  // the whole wire ends in GoAway: nothing may follow it
      ASSERT_TRUE(s.feed(ByteView(wire).subspan(split), t0)) << split;
    }
    EXPECT_EQ(describe(drain(s)), expected_events) << split;
    EXPECT_EQ(s.take_output(), expected_out) << split;
  }
  // One byte at a time.
  Session s(Role::server);
  for (std::uint8_t b : wire) ASSERT_TRUE(s.feed(ByteView(&b, 1), t0));
  EXPECT_EQ(describe(drain(s)), expected_events);
}

TEST(YamuxHostile, TruncatedHeaderWaitsForMoreBytes) {
  Session s(Role::server);
  const Bytes b = wu(1, flag_syn);
  ASSERT_TRUE(s.feed(ByteView(b).first(11), t0));
  EXPECT_TRUE(drain(s).empty());
  EXPECT_FALSE(s.is_closed());
}

// Mostly well-formed frames with random fields: they reach deeper than noise does.
Bytes random_wire(std::mt19937& rng) {
  Bytes wire;
  const int frames = static_cast<int>(rng() % 24);
  for (int i = 0; i < frames; ++i) {
    const auto type = static_cast<std::uint8_t>(rng() % 100 == 0 ? 4 + rng() % 8 : rng() % 4);
    const auto flags = static_cast<Flags>(rng() % 16);
    const auto id = static_cast<StreamId>(rng() % 12);
    std::uint32_t length = rng() % 64;
    if (rng() % 20 == 0) length = rng();  // window deltas and the odd huge data length
    const bool is_data = type == 0;
    const std::uint32_t payload = is_data ? std::min<std::uint32_t>(length, 64) : 0;
    if (is_data) length = payload;
    append_header(wire, {static_cast<std::uint8_t>(rng() % 200 == 0 ? 1 : 0),
                         static_cast<FrameType>(type), flags, id, length});
    for (std::uint32_t k = 0; k < payload; ++k) wire.push_back(static_cast<std::uint8_t>(rng()));
  }
  return wire;
}

TEST(YamuxFuzz, PseudoRandomBytesNeverCrash) {
  std::mt19937 rng(20240611);
  for (int round = 0; round < 2000; ++round) {
    Bytes input(rng() % 512);
    for (auto& b : input) b = static_cast<std::uint8_t>(rng());
    EXPECT_EQ(fuzz_yamux_frames(input.data(), input.size()), 0);
  }
  EXPECT_EQ(fuzz_yamux_frames(nullptr, 0), 0);
}

TEST(YamuxFuzz, PseudoRandomFramesNeverCrash) {
  std::mt19937 rng(42);
  for (int round = 0; round < 5000; ++round) {
    Bytes input{static_cast<std::uint8_t>(rng()), static_cast<std::uint8_t>(rng())};
    const Bytes wire = random_wire(rng);
    input.insert(input.end(), wire.begin(), wire.end());
    EXPECT_EQ(fuzz_yamux_frames(input.data(), input.size()), 0);
  }
}

TEST(YamuxFuzz, MutatedConversationsNeverCrash) {
  std::mt19937 rng(7);
  const Bytes base = conversation();
  for (int round = 0; round < 2000; ++round) {
    Bytes input{static_cast<std::uint8_t>(rng()), static_cast<std::uint8_t>(rng())};
    input.insert(input.end(), base.begin(), base.end());
    for (int m = 0; m < 1 + static_cast<int>(rng() % 4); ++m) {
      const std::size_t at = 2 + rng() % base.size();
      input[at] = static_cast<std::uint8_t>(rng());
    }
    EXPECT_EQ(fuzz_yamux_frames(input.data(), input.size()), 0);
  }
}

}  // namespace
}  // namespace cf::p2p::yamux
