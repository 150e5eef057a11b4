// Tests for the Yamux frame codec. Constants and the round trip mirror go-yamux const_test.go
// (TestConst, TestEncodeDecode); the wire layout is libp2p/specs yamux/README.md.
#include "cf/p2p/yamux/frame.hpp"

#include <gtest/gtest.h>

#include "cf/p2p/yamux/errc.hpp"

namespace cf::p2p::yamux {
namespace {

TEST(YamuxFrame, ConstantsMatchGoYamux) {
  // go-yamux const_test.go TestConst.
  EXPECT_EQ(protocol_version, 0);
  EXPECT_EQ(static_cast<int>(FrameType::data), 0);
  EXPECT_EQ(static_cast<int>(FrameType::window_update), 1);
  EXPECT_EQ(static_cast<int>(FrameType::ping), 2);
  EXPECT_EQ(static_cast<int>(FrameType::go_away), 3);
  EXPECT_EQ(flag_syn, 1);
  EXPECT_EQ(flag_ack, 2);
  EXPECT_EQ(flag_fin, 4);
  EXPECT_EQ(flag_rst, 8);
  EXPECT_EQ(go_away_normal, 0u);
  EXPECT_EQ(go_away_protocol_error, 1u);
  EXPECT_EQ(go_away_internal_error, 2u);
  EXPECT_EQ(header_size, 12u);
  EXPECT_EQ(initial_stream_window, 256u * 1024);
  EXPECT_EQ(max_stream_window, 16u * 1024 * 1024);
  EXPECT_STREQ(protocol_id, "/yamux/1.0.0");
}

TEST(YamuxFrame, EncodeDecodeRoundTrip) {
  // go-yamux const_test.go TestEncodeDecode: encode(typeWindowUpdate, flagACK|flagRST, 1234, 4321).
  const FrameHeader h{0, FrameType::window_update, flag_ack | flag_rst, 1234, 4321};
  const Bytes b = encode_header(h);
  EXPECT_EQ(to_hex(b), "0001000a000004d2000010e1");
  auto d = decode_header(b);
  ASSERT_TRUE(d);
  EXPECT_EQ(*d, h);
  EXPECT_TRUE(d->has(flag_ack));
  EXPECT_TRUE(d->has(flag_rst));
  EXPECT_FALSE(d->has(flag_syn));
}

TEST(YamuxFrame, RoundTripsEveryTypeAndFlagCombination) {
  for (int type = 0; type <= 3; ++type) {
    for (Flags flags = 0; flags < 16; ++flags) {
      const FrameHeader h{0, static_cast<FrameType>(type), flags, 0xfffffffe, 0x80000001};
      auto d = decode_header(encode_header(h));
      ASSERT_TRUE(d);
      EXPECT_EQ(*d, h);
    }
  }
}

TEST(YamuxFrame, KnownOpeningFrames) {
  // go opens a stream with WindowUpdate(SYN, delta 0) and accepts with WindowUpdate(ACK, 0).
  EXPECT_EQ(to_hex(encode_header({0, FrameType::window_update, flag_syn, 1, 0})),
            "000100010000000100000000");
  EXPECT_EQ(to_hex(encode_header({0, FrameType::window_update, flag_ack, 1, 0})),
            "000100020000000100000000");
  EXPECT_EQ(to_hex(encode_header({0, FrameType::ping, flag_syn, 0, 7})),
            "000200010000000000000007");
  EXPECT_EQ(to_hex(encode_header({0, FrameType::go_away, 0, 0, go_away_protocol_error})),
            "000300000000000000000001");
}

TEST(YamuxFrame, DecodeRejectsBadHeaders) {
  Bytes b = encode_header({0, FrameType::data, 0, 1, 0});
  EXPECT_EQ(decode_header(ByteView(b).first(11)).error(), errc::truncated);
  b[0] = 1;
  EXPECT_EQ(decode_header(b).error(), errc::invalid_version);
  b[0] = 0;
  b[1] = 4;
  EXPECT_EQ(decode_header(b).error(), errc::invalid_type);
  b[1] = 0xff;
  EXPECT_EQ(decode_header(b).error(), errc::invalid_type);
}

TEST(YamuxFrameReader, ReassemblesFramesSplitAtEveryOffset) {
  Bytes wire = encode_header({0, FrameType::data, flag_syn, 1, 5});
  for (char c : std::string("hello")) wire.push_back(static_cast<std::uint8_t>(c));
  append_header(wire, {0, FrameType::ping, flag_syn, 0, 42});
  append_header(wire, {0, FrameType::data, 0, 3, 0});  // zero-length data frame
  for (std::size_t split = 0; split <= wire.size(); ++split) {
    FrameReader reader(initial_stream_window);
    reader.feed(ByteView(wire).first(split));
    std::vector<FrameHeader> headers;
    std::string payload;
    auto drain = [&] {
      for (;;) {
        auto f = reader.next();
        ASSERT_TRUE(f);
        if (!*f) return;
        headers.push_back((*f)->header);
        payload += to_string((*f)->payload);
      }
    };
    drain();
    reader.feed(ByteView(wire).subspan(split));
    drain();
    ASSERT_EQ(headers.size(), 3u) << split;
    EXPECT_EQ(payload, "hello");
    EXPECT_EQ(headers[1].length, 42u);
    EXPECT_EQ(headers[2].stream, 3u);
    EXPECT_EQ(reader.buffered(), 0u);
  }
}

TEST(YamuxFrameReader, NonDataLengthIsNotAPayload) {
  FrameReader reader(16);
  reader.feed(encode_header({0, FrameType::window_update, 0, 1, 0xffffffff}));
  auto f = reader.next();
  ASSERT_TRUE(f);
  ASSERT_TRUE(*f);
  EXPECT_TRUE((*f)->payload.empty());
}

TEST(YamuxFrameReader, RejectsDataBeyondTheBoundAndStaysFailed) {
  FrameReader reader(16);
  reader.feed(encode_header({0, FrameType::data, 0, 1, 17}));
  EXPECT_EQ(reader.next().error(), errc::frame_too_large);
  reader.feed(encode_header({0, FrameType::ping, flag_syn, 0, 1}));
  EXPECT_EQ(reader.next().error(), errc::frame_too_large);
}

TEST(YamuxFrameReader, RejectsUnknownVersionAndType) {
  FrameReader a(16);
  a.feed(Bytes{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(a.next().error(), errc::invalid_version);
  FrameReader b(16);
  b.feed(Bytes{0, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  EXPECT_EQ(b.next().error(), errc::invalid_type);
}

}  // namespace
}  // namespace cf::p2p::yamux
