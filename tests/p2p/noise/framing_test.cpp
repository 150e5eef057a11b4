// Noise length-prefixed framing (libp2p/specs noise/README.md "Wire Format").
#include "cf/p2p/noise/framing.hpp"

#include <gtest/gtest.h>

#include "cf/p2p/noise/errc.hpp"

namespace cf::p2p::noise {
namespace {

TEST(Framing, TwoByteBigEndianLength) {
  auto frame = encode_frame(Bytes(0x0102, 7));
  ASSERT_TRUE(frame);
  EXPECT_EQ((*frame)[0], 0x01);
  EXPECT_EQ((*frame)[1], 0x02);
  EXPECT_EQ(frame->size(), 2u + 0x0102);
  EXPECT_EQ(to_hex(*encode_frame({})), "0000");
}

TEST(Framing, LargestFrameAndOneByteMore) {
  auto max = encode_frame(Bytes(65535, 1));
  ASSERT_TRUE(max);
  EXPECT_EQ(to_hex(ByteView(*max).first(2)), "ffff");
  EXPECT_EQ(encode_frame(Bytes(65536, 1)).error(), errc::message_too_large);
  EXPECT_EQ(max_plaintext_size, 65519u);
}

TEST(FrameReader, ByteByByteAndSeveralPerAppend) {
  Bytes wire;
  ASSERT_TRUE(append_frame(as_bytes("abc"), wire));
  ASSERT_TRUE(append_frame({}, wire));
  ASSERT_TRUE(append_frame(as_bytes("defgh"), wire));

  FrameReader slow;
  std::vector<std::string> got;
  for (auto b : wire) {
    ASSERT_TRUE(slow.append(ByteView(&b, 1)));
    while (auto f = slow.next()) got.push_back(to_string(*f));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"abc", "", "defgh"}));

  FrameReader fast;
  ASSERT_TRUE(fast.append(wire));
  EXPECT_EQ(to_string(*fast.next()), "abc");
  EXPECT_EQ(to_string(*fast.next()), "");
  EXPECT_EQ(to_string(*fast.next()), "defgh");
  EXPECT_FALSE(fast.next());
  EXPECT_EQ(fast.buffered(), 0u);
}

TEST(FrameReader, KeepsATruncatedFrame) {
  auto frame = *encode_frame(as_bytes("hello world"));
  FrameReader reader;
  ASSERT_TRUE(reader.append(ByteView(frame).first(7)));
  EXPECT_FALSE(reader.next());
  EXPECT_EQ(reader.buffered(), 7u);
  ASSERT_TRUE(reader.append(ByteView(frame).subspan(7)));
  EXPECT_EQ(to_string(*reader.next()), "hello world");
}

TEST(FrameReader, BoundAndLeftovers) {
  FrameReader reader(10);
  EXPECT_EQ(reader.append(Bytes(11)).error(), errc::buffer_overflow);
  EXPECT_EQ(reader.buffered(), 0u);
  ASSERT_TRUE(reader.append(Bytes{0x00, 0x01, 'x', 0x00, 0x05, 'a', 'b'}));
  EXPECT_EQ(to_string(*reader.next()), "x");
  EXPECT_EQ(reader.append(Bytes(7)).error(), errc::buffer_overflow);  // 4 held + 7 > 10
  const Bytes rest = reader.take_buffered();
  EXPECT_EQ(rest, (Bytes{0x00, 0x05, 'a', 'b'}));
  EXPECT_EQ(reader.buffered(), 0u);
}

}  // namespace
}  // namespace cf::p2p::noise
