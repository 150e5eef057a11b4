#include "cf/p2p/conn/frames.hpp"

#include <gtest/gtest.h>

#include "cf/p2p/conn/errc.hpp"

namespace cf::p2p {
namespace {

TEST(FrameReader, SplitsMessagesAtEveryByteBoundary) {
  Bytes wire;
  append_frame(wire, as_bytes("hello"));
  append_frame(wire, {});
  Bytes big(300, 0x42);
  append_frame(wire, big);
  for (std::size_t split = 0; split <= wire.size(); ++split) {
    FrameReader reader(1024);
    std::vector<Bytes> got;
    ASSERT_TRUE(reader.feed(ByteView(wire).first(split)));
    while (auto m = reader.next()) got.push_back(*m);
    ASSERT_TRUE(reader.feed(ByteView(wire).subspan(split)));
    while (auto m = reader.next()) got.push_back(*m);
    ASSERT_EQ(got.size(), 3u) << split;
    EXPECT_EQ(to_string(got[0]), "hello");
    EXPECT_TRUE(got[1].empty());
    EXPECT_EQ(got[2], big);
    EXPECT_FALSE(reader.mid_message());
  }
}

TEST(FrameReader, RefusesALengthAboveTheLimitBeforeBufferingTheBody) {
  FrameReader reader(100);
  Bytes wire;
  append_frame(wire, Bytes(101, 1));
  auto s = reader.feed(ByteView(wire).first(2));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error(), errc::message_too_large);
  EXPECT_FALSE(reader.feed(as_bytes("x")));  // stays failed
  EXPECT_FALSE(reader.next());
}

TEST(FrameReader, RefusesANonMinimalLength) {
  FrameReader reader(100);
  const Bytes wire{0x81, 0x00, 0x01};
  auto s = reader.feed(wire);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error(), errc::invalid_length);
}

TEST(FrameReader, ReportsAnIncompleteMessage) {
  FrameReader reader(100);
  const Bytes wire{0x05, 'a', 'b'};
  ASSERT_TRUE(reader.feed(wire));
  EXPECT_FALSE(reader.next());
  EXPECT_TRUE(reader.mid_message());
}

}  // namespace
}  // namespace cf::p2p
