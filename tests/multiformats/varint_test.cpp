// Tests for the unsigned varint codec. Vectors: multiformats/go-varint varint_test.go
// (TestOverflow, TestNotMinimal, TestUnderflow) and go-multihash TestBadVarint; the rest follow
// the unsigned-varint spec examples. See tests/vectors/PROVENANCE.md.
#include "cf/multiformats/varint.hpp"

#include <gtest/gtest.h>

#include "cf/multiformats/errc.hpp"

namespace cf::multiformats {
namespace {

TEST(Varint, EncodesMinimally) {
  EXPECT_EQ(to_hex(encode_uvarint(0)), "00");
  EXPECT_EQ(to_hex(encode_uvarint(1)), "01");
  EXPECT_EQ(to_hex(encode_uvarint(127)), "7f");
  EXPECT_EQ(to_hex(encode_uvarint(128)), "8001");
  EXPECT_EQ(to_hex(encode_uvarint(255)), "ff01");
  EXPECT_EQ(to_hex(encode_uvarint(300)), "ac02");
  EXPECT_EQ(to_hex(encode_uvarint(16384)), "808001");
  EXPECT_EQ(to_hex(encode_uvarint(273)), "9102");  // udp
  EXPECT_EQ(to_hex(encode_uvarint(421)), "a503");  // p2p
  EXPECT_EQ(to_hex(encode_uvarint(max_uvarint)), "ffffffffffffffff7f");
  EXPECT_EQ(uvarint_size(max_uvarint), 9u);
}

TEST(Varint, RoundTripsTheFirst65536Values) {
  // go-varint TestVarintSize walks the same range.
  for (std::uint64_t v = 0; v < (1u << 16); ++v) {
    const Bytes b = encode_uvarint(v);
    ASSERT_EQ(b.size(), uvarint_size(v));
    auto d = decode_uvarint(b);
    ASSERT_TRUE(d) << v;
    EXPECT_EQ(d->value, v);
    EXPECT_EQ(d->size, b.size());
  }
}

TEST(Varint, DecodeReportsBytesConsumed) {
  const Bytes b{0xac, 0x02, 0xff, 0xff};
  auto d = decode_uvarint(b);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->value, 300u);
  EXPECT_EQ(d->size, 2u);
}

TEST(Varint, AcceptsTheLargestNineByteValue) {
  const Bytes b{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
  auto d = decode_uvarint(b);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->value, max_uvarint);
  EXPECT_EQ(d->size, 9u);
}

TEST(Varint, RejectsOverflow) {
  // go-varint TestOverflow.
  const Bytes go_overflow{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00};
  EXPECT_EQ(decode_uvarint(go_overflow).error(), errc::varint_overflow);
  // A ninth byte with the continuation bit set is already too long.
  const Bytes nine{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80};
  EXPECT_EQ(decode_uvarint(nine).error(), errc::varint_overflow);
  // 2^63 needs ten bytes: the encoder writes them, the decoder refuses them.
  EXPECT_EQ(decode_uvarint(encode_uvarint(max_uvarint + 1)).error(), errc::varint_overflow);
  // go-multihash TestBadVarint: longer than 64 bits.
  const Bytes mh_long{129, 128, 128, 128, 128, 128, 128, 128, 128, 128, 129, 1};
  EXPECT_EQ(decode_uvarint(mh_long).error(), errc::varint_overflow);
}

TEST(Varint, RejectsNonMinimal) {
  // go-varint TestNotMinimal: 81 00 would be 1 in Go's binary.Uvarint.
  EXPECT_EQ(decode_uvarint(Bytes{0x81, 0x00}).error(), errc::varint_not_minimal);
  EXPECT_EQ(decode_uvarint(Bytes{0x80, 0x00}).error(), errc::varint_not_minimal);
  EXPECT_EQ(decode_uvarint(Bytes{0xff, 0x80, 0x00}).error(), errc::varint_not_minimal);
  // A single 00 byte is the minimal encoding of zero.
  EXPECT_EQ(decode_uvarint(Bytes{0x00})->value, 0u);
}

TEST(Varint, ReportsTruncation) {
  // go-varint TestUnderflow and go-multihash TestBadVarint (cut-off varint).
  EXPECT_EQ(decode_uvarint(Bytes{0x81, 0x81}).error(), errc::truncated);
  EXPECT_EQ(decode_uvarint(Bytes{128, 128, 128}).error(), errc::truncated);
  EXPECT_EQ(decode_uvarint(Bytes{}).error(), errc::truncated);
}

TEST(Varint, ErrorsBelongToTheLayerCategory) {
  const auto e = decode_uvarint(Bytes{0x81, 0x00}).error();
  EXPECT_STREQ(e.code().category().name(), "cf.multiformats");
  EXPECT_NE(e.message().find("8100"), std::string::npos);
}

}  // namespace
}  // namespace cf::multiformats
