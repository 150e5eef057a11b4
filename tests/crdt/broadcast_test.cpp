// CRDTBroadcast: Go's layout (crdt-dag-and-pinset.md §1.2), protobuf-go's proto3 rules and the
// legacy raw-CID form (go-ds-crdt crdt_test.go TestCRDTBroadcastBackwardsCompat).
#include "cf/crdt/broadcast.hpp"

#include <gtest/gtest.h>

#include "cf/crdt/errc.hpp"
#include "golden.hpp"

namespace cf::crdt {
namespace {

namespace mf = multiformats;
using golden::hex;

mf::Cid cid(std::string_view text) { return *mf::Cid::parse(text); }

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(CrdtBroadcast, OneCidV1HeadIsFortyBytes) {
  const Bytes message = hex(golden::broadcast_b_hex);
  auto heads = decode_broadcast(message);
  ASSERT_TRUE(heads) << heads.error().message();
  ASSERT_EQ(heads->size(), 1u);
  EXPECT_EQ((*heads)[0].to_string(), golden::node_b_cid);
  EXPECT_EQ(encode_broadcast(*heads), message);
  EXPECT_EQ(message.size(), 40u);
}

TEST(CrdtBroadcast, KeepsOrderAndDuplicatesAndMixedVersions) {
  const std::vector<mf::Cid> heads = {cid(golden::node_a_cid), cid("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n"),
                                      cid(golden::node_a_cid)};
  const Bytes message = encode_broadcast(heads);
  auto back = decode_broadcast(message);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, heads);
  EXPECT_TRUE(encode_broadcast({}).empty());
  auto none = decode_broadcast({});
  ASSERT_TRUE(none);
  EXPECT_TRUE(none->empty());
}

TEST(CrdtBroadcast, ToleratesDagNameAndUnknownHeadFieldsLastCidWins) {
  const mf::Cid b = cid(golden::node_b_cid);
  const mf::Cid a = cid(golden::node_a_cid);
  // Head { Cid = A; DagName = "dag"; 9: varint; Cid = B }
  Bytes head = cat({hex("0a24"), a.bytes(), hex("1203646167" "4801" "0a24"), b.bytes()});
  const Bytes message = cat({hex("0a"), Bytes{static_cast<std::uint8_t>(head.size())}, head});
  auto heads = decode_broadcast(message);
  ASSERT_TRUE(heads) << heads.error().message();
  ASSERT_EQ(heads->size(), 1u);
  EXPECT_EQ((*heads)[0], b);
}

TEST(CrdtBroadcast, LegacyRawCidV0IsOneHead) {
  // TestCRDTBroadcastBackwardsCompat: the raw bytes of the CIDv0 of sha2-256("emacs is best").
  const mf::Cid legacy = *mf::Cid::v0(mf::Multihash::sha2_256(as_bytes("emacs is best")));
  auto heads = decode_broadcast(legacy.bytes());
  ASSERT_TRUE(heads) << heads.error().message();
  ASSERT_EQ(heads->size(), 1u);
  EXPECT_EQ((*heads)[0], legacy);
}

TEST(CrdtBroadcast, LegacyRawCidV1IsNotAProtobufAndIsRefused) {
  auto heads = decode_broadcast(cid(golden::node_a_cid).bytes());
  ASSERT_FALSE(heads);
  EXPECT_EQ(heads.error(), errc::malformed_broadcast);
}

TEST(CrdtBroadcast, UnknownTopLevelBytesAreReadAsOneCidAsGoDoes) {
  const mf::Cid legacy = *mf::Cid::v0(mf::Multihash::sha2_256(as_bytes("emacs is best")));
  // Heads plus a legacy CIDv0: Go casts only the unknown bytes, so the heads are ignored.
  auto mixed = decode_broadcast(cat({hex(golden::broadcast_b_hex), legacy.bytes()}));
  ASSERT_TRUE(mixed);
  ASSERT_EQ(mixed->size(), 1u);
  EXPECT_EQ((*mixed)[0], legacy);
  // Heads plus any other unknown field: not a CID, the whole message is dropped.
  auto other = decode_broadcast(cat({hex(golden::broadcast_b_hex), hex("1001")}));
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error(), errc::malformed_broadcast);
  // Heads as a varint is an unknown field to protobuf-go too.
  EXPECT_FALSE(decode_broadcast(hex("0801")));
}

TEST(CrdtBroadcast, EveryHeadMustBeExactlyOneCid) {
  const std::vector<std::pair<const char*, Bytes>> bad = {
      {"Head without Cid", hex("0a00")},
      {"Head with an empty Cid", hex("0a020a00")},
      {"Cid that is not a CID", hex("0a050a03020304")},
      {"Cid with a trailing byte", cat({hex("0a270a25"), cid(golden::node_a_cid).bytes(), hex("00")})},
      {"truncated", hex("0a260a24017012")},
      {"group inside a Head", hex("0a020b0c")},
  };
  for (const auto& [name, message] : bad) {
    auto heads = decode_broadcast(message);
    ASSERT_FALSE(heads) << name;
    EXPECT_EQ(heads.error(), errc::malformed_broadcast) << name;
  }
  auto second = decode_broadcast(cat({hex(golden::broadcast_b_hex), hex("0a050a03020304")}));
  ASSERT_FALSE(second);
  EXPECT_NE(second.error().detail().find("Heads[1].Cid"), std::string::npos) << second.error().detail();
  EXPECT_EQ(second.error().detail().find("020304"), std::string::npos) << second.error().detail();
}

TEST(CrdtBroadcast, BoundsHeadCountAndMessageSize) {
  const std::vector<mf::Cid> heads(3, cid(golden::node_a_cid));
  const Bytes message = encode_broadcast(heads);
  BroadcastLimits limits;
  limits.max_heads = 2;
  auto over = decode_broadcast(message, limits);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error(), errc::too_large);
  limits.max_heads = 3;
  EXPECT_TRUE(decode_broadcast(message, limits));
  limits.max_message_size = message.size() - 1;
  over = decode_broadcast(message, limits);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error(), errc::too_large);
}

}  // namespace
}  // namespace cf::crdt
