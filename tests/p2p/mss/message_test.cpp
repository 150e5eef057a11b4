// multistream-select message codec. Vectors: "na" = 036e610a from libp2p/specs
// connections/README.md; the others [CALC] in libp2p-wire.md §3. Limits follow go-multistream
// v0.6.1 lpReadBuf (ErrTooLarge over 1024, trailing newline required).
#include "cf/p2p/mss/message.hpp"

#include <gtest/gtest.h>

#include "cf/p2p/mss/errc.hpp"

namespace cf::p2p::mss {
namespace {

Bytes from_hex(std::string_view hex) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

TEST(MssMessage, EncodesTheSpecVectors) {
  EXPECT_EQ(to_hex(encode_message(na)), "036e610a");  // [SPECS]
  EXPECT_EQ(to_hex(encode_message(protocol_id)),      // [CALC]
            "132f6d756c746973747265616d2f312e302e300a");
  EXPECT_EQ(to_hex(encode_message("/noise")), "072f6e6f6973650a");                       // [CALC]
  EXPECT_EQ(to_hex(encode_message("/yamux/1.0.0")), "0d2f79616d75782f312e302e300a");      // [CALC]
  EXPECT_EQ(to_hex(encode_message("/meshsub/1.2.0")), "0f2f6d6573687375622f312e322e300a"); // [CALC]
}

TEST(MssMessage, DecodesOneMessageAndLeavesTheRest) {
  const Bytes in = from_hex("036e610a" "ffee");
  auto m = decode_message(in);
  ASSERT_TRUE(m);
  ASSERT_TRUE(*m);
  EXPECT_EQ((*m)->token, "na");
  EXPECT_EQ((*m)->size, 4u);
}

TEST(MssMessage, AsksForMoreOnEveryPrefix) {
  const Bytes in = encode_message(protocol_id);
  for (std::size_t n = 0; n < in.size(); ++n) {
    auto m = decode_message(ByteView(in).first(n));
    ASSERT_TRUE(m) << n;
    EXPECT_FALSE(*m) << n;
  }
}

TEST(MssMessage, AcceptsExactly1024Bytes) {
  const std::string token(max_message_size - 1, 'a');
  const Bytes in = encode_message(token);
  auto m = decode_message(in);
  ASSERT_TRUE(m);
  ASSERT_TRUE(*m);
  EXPECT_EQ((*m)->token, token);
}

TEST(MssMessage, RejectsTooLong) {
  EXPECT_EQ(decode_message(encode_message(std::string(max_message_size, 'a'))).error(),
            errc::too_large);
  EXPECT_EQ(decode_message(from_hex("8108")).error(), errc::too_large);  // 1025, no body yet
  EXPECT_EQ(decode_message(from_hex("ffff")).error(), errc::too_large);  // >= 2^14 coming
  EXPECT_EQ(decode_message(from_hex("ffffffffffffffffff01")).error(), errc::invalid_length);
}

TEST(MssMessage, RejectsMissingNewline) {
  EXPECT_EQ(decode_message(from_hex("036e6161")).error(), errc::missing_newline);
  EXPECT_EQ(decode_message(from_hex("00")).error(), errc::missing_newline);  // empty message
  EXPECT_EQ(decode_message(from_hex("010a")).value()->token, "");           // just "\n" is fine
}

TEST(MssMessage, RejectsNonMinimalLength) {
  EXPECT_EQ(decode_message(from_hex("8300" "6e610a")).error(), errc::invalid_length);
}

}  // namespace
}  // namespace cf::p2p::mss
