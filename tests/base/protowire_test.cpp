#include "cf/base/protowire.hpp"

#include <gtest/gtest.h>

#include "cf/base/errc.hpp"

namespace cf::protowire {
namespace {

Bytes hex(std::string_view h) {
  Bytes out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

TEST(Protowire, ReadsEveryWireTypeAndKeepsRawBytes) {
  // 1: varint 150; 2: "hi"; 3: fixed32 1; 4: fixed64 2
  Bytes msg = hex("089601" "12026869" "1d01000000" "210200000000000000");
  Reader r(msg);
  auto f = r.next();
  ASSERT_TRUE(f && *f);
  EXPECT_EQ((*f)->number, 1u);
  EXPECT_EQ((*f)->value, 150u);
  EXPECT_EQ((*f)->raw.size(), 3u);
  f = r.next();
  ASSERT_TRUE(f && *f);
  EXPECT_EQ((*f)->type, WireType::length_delimited);
  EXPECT_EQ(to_string((*f)->bytes), "hi");
  EXPECT_EQ((*f)->raw.size(), 4u);
  f = r.next();
  ASSERT_TRUE(f && *f);
  EXPECT_EQ((*f)->type, WireType::fixed32);
  EXPECT_EQ((*f)->value, 1u);
  f = r.next();
  ASSERT_TRUE(f && *f);
  EXPECT_EQ((*f)->type, WireType::fixed64);
  EXPECT_EQ((*f)->value, 2u);
  f = r.next();
  ASSERT_TRUE(f);
  EXPECT_FALSE(*f);
}

TEST(Protowire, AcceptsNonMinimalVarintsLikeGo) {
  Bytes msg = hex("088000");  // field 1 = 0, encoded in two bytes
  Reader r(msg);
  auto f = r.next();
  ASSERT_TRUE(f && *f);
  EXPECT_EQ((*f)->value, 0u);
}

TEST(Protowire, RefusesMalformedInput) {
  for (auto bad : {"0a05616263", "08", "0b", "0c", "00", "08ffffffffffffffffff7f", "08ffffffffffffffffff02",
                   "0affffffffffffffffff01"}) {
    const Bytes msg = hex(bad);
    Reader r(msg);
    auto f = r.next();
    ASSERT_FALSE(f) << bad;
    EXPECT_EQ(f.error(), errc::invalid_input) << bad;
  }
}

TEST(Protowire, TenByteVarintCarriesTheTopBit) {
  std::size_t n = 0;
  auto v = read_varint(hex("ffffffffffffffffff01"), n);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, ~std::uint64_t{0});
  EXPECT_EQ(n, 10u);
}

TEST(Protowire, WriterRoundTrips) {
  Bytes out;
  append_varint_field(out, 3, 300);
  append_string_field(out, 6492434, "x");
  EXPECT_EQ(varint_size(300), 2u);
  Reader r(out);
  auto a = r.next();
  auto b = r.next();
  ASSERT_TRUE(a && *a && b && *b);
  EXPECT_EQ((*a)->number, 3u);
  EXPECT_EQ((*a)->value, 300u);
  EXPECT_EQ((*b)->number, 6492434u);
  EXPECT_EQ(to_string((*b)->bytes), "x");
}

}  // namespace
}  // namespace cf::protowire
