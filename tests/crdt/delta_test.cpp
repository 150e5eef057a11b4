// go-ds-crdt Delta: Go's byte layout (crdt-dag-and-pinset.md §2.3) and protobuf-go's proto3
// decoding rules (unknown fields skipped, last scalar wins, strings must be UTF-8).
#include "cf/crdt/delta.hpp"

#include <gtest/gtest.h>

#include "cf/crdt/errc.hpp"
#include "golden.hpp"

namespace cf::crdt {
namespace {

using golden::hex;

Bytes b(std::string_view s) { return Bytes(s.begin(), s.end()); }

TEST(CrdtDelta, EncodesAnAddLikeGo) {
  // 0a L (0a klen key)(1a vlen value) 18 prio: no id on the wire for an added element.
  const Delta delta{{{"/k", "", b("val")}}, {}, 1};
  const Bytes bytes = encode_delta(delta);
  EXPECT_EQ(bytes, hex("0a090a022f6b1a0376616c" "1801"));
  auto back = decode_delta(bytes);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, delta);
}

TEST(CrdtDelta, EncodesATombstoneLikeGo) {
  // 12 L (0a klen key)(12 idlen id) 18 prio: no value on the wire for a tombstone.
  const Delta delta{{}, {{"/k", "/ID", {}}}, 300};
  const Bytes bytes = encode_delta(delta);
  EXPECT_EQ(bytes, hex("12090a022f6b12032f4944" "18ac02"));
  EXPECT_EQ(*decode_delta(bytes), delta);
}

TEST(CrdtDelta, RoundTripsABatchWithTheSameKeyTwiceInOrder) {
  const Delta delta{{{"/a", "", b("1")}, {"/b", "", b("2")}, {"/a", "", b("3")}},
                    {{"/c", "/X", {}}, {"/c", "/Y", {}}},
                    7};
  auto back = decode_delta(encode_delta(delta));
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, delta);
}

TEST(CrdtDelta, ZeroValuesAreOmitted) {
  EXPECT_TRUE(encode_delta(Delta{}).empty());
  EXPECT_EQ(encode_delta(Delta{{Element{}}, {}, 0}), hex("0a00"));
  auto empty = decode_delta({});
  ASSERT_TRUE(empty);
  EXPECT_EQ(*empty, Delta{});
}

TEST(CrdtDelta, SkipsUnknownFieldsAndWrongWireTypesAsGoDoes) {
  const Bytes bytes = hex(
      "0a090a022f6b1a0376616c"  // element /k = val
      "2203646167"              // field 4 dagName "dag" (go-ds-crdt HEAD)
      "4805"                    // unknown varint field 9
      "1a0101"                  // priority as bytes: unknown to protobuf-go, skipped
      "0801"                    // elements as a varint: skipped
      "0a0b0a022f6a2001120373696d"  // element /j with unknown field 4 and id "sim"
      "1802");
  auto delta = decode_delta(bytes);
  ASSERT_TRUE(delta) << delta.error().message();
  ASSERT_EQ(delta->elements.size(), 2u);
  EXPECT_EQ(delta->elements[0], (Element{"/k", "", b("val")}));
  EXPECT_EQ(delta->elements[1], (Element{"/j", "sim", {}}));
  EXPECT_TRUE(delta->tombstones.empty());
  EXPECT_EQ(delta->priority, 2u);
}

TEST(CrdtDelta, LastScalarWins) {
  auto delta = decode_delta(hex("0a0b0a022f610a022f621a0176" "1801" "1805"));
  ASSERT_TRUE(delta);
  ASSERT_EQ(delta->elements.size(), 1u);
  EXPECT_EQ(delta->elements[0].key, "/b");
  EXPECT_EQ(delta->priority, 5u);
}

TEST(CrdtDelta, KeysAndIdsMustBeUtf8ButValuesNeedNot) {
  auto bad_key = decode_delta(hex("0a040a02ff6b"));
  ASSERT_FALSE(bad_key);
  EXPECT_EQ(bad_key.error(), errc::malformed_delta);
  EXPECT_NE(bad_key.error().detail().find("elements[0].key"), std::string::npos) << bad_key.error().detail();

  auto bad_id = decode_delta(hex("0a00" "12080a022f6b1202c0af"));
  ASSERT_FALSE(bad_id);
  EXPECT_NE(bad_id.error().detail().find("tombstones[0].id"), std::string::npos) << bad_id.error().detail();

  auto binary_value = decode_delta(hex("0a060a016b1a01ff"));
  ASSERT_TRUE(binary_value);
  EXPECT_EQ(binary_value->elements[0].value, hex("ff"));
}

TEST(CrdtDelta, RejectsMalformedProtobuf) {
  for (const char* h : {"0a05", "0a020a05", "18", "188080", "0b0c", "0001", "0a020b0c"}) {
    auto delta = decode_delta(hex(h));
    ASSERT_FALSE(delta) << h;
    EXPECT_EQ(delta.error(), errc::malformed_delta) << h;
  }
}

TEST(CrdtDelta, EveryTruncationOfAValidDeltaFailsOrIsAPrefixDelta) {
  const Bytes bytes = encode_delta(Delta{{{"/key", "", b("value")}}, {{"/key", "/ID", {}}}, 1u << 20});
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto delta = decode_delta(ByteView(bytes).first(n));
    if (delta) {
      EXPECT_EQ(encode_delta(*delta), Bytes(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n)));
    } else {
      EXPECT_EQ(delta.error(), errc::malformed_delta);
    }
  }
}

TEST(CrdtDelta, BoundsSizeAndEntryCount) {
  Delta many;
  for (int i = 0; i < 5; ++i) many.elements.push_back({"/k" + std::to_string(i), "", b("v")});
  many.tombstones.push_back({"/k0", "/ID", {}});
  const Bytes bytes = encode_delta(many);
  DeltaLimits limits;
  limits.max_entries = 5;
  auto over = decode_delta(bytes, limits);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error(), errc::too_large);
  limits.max_entries = 6;
  EXPECT_TRUE(decode_delta(bytes, limits));
  limits.max_delta_size = bytes.size() - 1;
  over = decode_delta(bytes, limits);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error(), errc::too_large);
}

}  // namespace
}  // namespace cf::crdt
