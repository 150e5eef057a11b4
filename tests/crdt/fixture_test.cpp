// The golden DAG of crdt-dag-and-pinset.md §6.2, rebuilt with this layer's encoders from the
// recipe there (pin → key → delta → dag-pb → CID → element id → tombstone → broadcast) and
// checked against the values computed independently (tests/crdt/golden.hpp), then decoded back.
// The Pin bytes are opaque here; tests/cluster/pin_proto_test.cpp decodes them.
#include <gtest/gtest.h>

#include "cf/crdt/broadcast.hpp"
#include "cf/crdt/errc.hpp"
#include "cf/crdt/keys.hpp"
#include "cf/crdt/node.hpp"
#include "golden.hpp"

namespace cf::crdt {
namespace {

namespace mf = multiformats;
using golden::hex;

mf::Cid cid(std::string_view text) { return *mf::Cid::parse(text); }
Bytes b(std::string_view s) { return Bytes(s.begin(), s.end()); }

const std::string key = pin_key(cid(golden::pin_cid));
const Delta delta_a{{{key, "", hex(golden::pin_hex)}}, {}, 1};

TEST(CrdtFixture, NodeAFromTheRecipe) {
  EXPECT_EQ(key, golden::pin_key);
  EXPECT_EQ(hex(golden::pin_hex).size(), 94u);
  const Bytes block = encode_node({}, delta_a);
  EXPECT_EQ(block, hex(golden::node_a_hex));
  EXPECT_EQ(block.size(), 162u);
  const mf::Cid a = node_cid(block);
  EXPECT_EQ(a.to_string(), golden::node_a_cid);
  EXPECT_EQ(element_id(a.hash()), golden::node_a_id);

  auto node = decode_node(a, block);
  ASSERT_TRUE(node) << node.error().message();
  EXPECT_TRUE(node->links.empty());
  EXPECT_EQ(node->delta, delta_a);
}

TEST(CrdtFixture, NodeBTombstonesAAndItsBroadcast) {
  const mf::Cid a = cid(golden::node_a_cid);
  const Delta delta_b{{}, {{key, element_id(a.hash()), {}}}, 2};
  const Bytes block = encode_node({a}, delta_b);
  EXPECT_EQ(block, hex(golden::node_b_hex));
  EXPECT_EQ(block.size(), 166u);
  const mf::Cid bcid = node_cid(block);
  EXPECT_EQ(bcid.to_string(), golden::node_b_cid);
  EXPECT_EQ(element_id(bcid.hash()), golden::node_b_id);

  auto node = decode_node(bcid, block);
  ASSERT_TRUE(node);
  EXPECT_EQ(node->links, std::vector<mf::Cid>{a});
  EXPECT_EQ(node->delta, delta_b);
  ASSERT_EQ(node->delta.tombstones.size(), 1u);
  EXPECT_EQ(node->delta.tombstones[0].id, golden::node_a_id);

  EXPECT_EQ(encode_broadcast({bcid}), hex(golden::broadcast_b_hex));
  auto heads = decode_broadcast(hex(golden::broadcast_b_hex));
  ASSERT_TRUE(heads);
  EXPECT_EQ(*heads, std::vector<mf::Cid>{bcid});
}

TEST(CrdtFixture, ConcurrentChildrenAndTheirMerge) {
  const mf::Cid a = cid(golden::node_a_cid);
  const Bytes c = encode_node({a}, Delta{{{key, "", b("value-c")}}, {}, 2});
  const Bytes d = encode_node({a}, Delta{{{key, "", b("value-d")}}, {}, 2});
  EXPECT_EQ(c, hex(golden::node_c_hex));
  EXPECT_EQ(d, hex(golden::node_d_hex));
  EXPECT_EQ(node_cid(c).to_string(), golden::node_c_cid);
  EXPECT_EQ(node_cid(d).to_string(), golden::node_d_cid);
  EXPECT_EQ(element_id(node_cid(c).hash()), golden::node_c_id);
  EXPECT_EQ(element_id(node_cid(d).hash()), golden::node_d_id);

  // E merges both branches and carries a batch that puts one key twice.
  const Delta delta_e{{{"/other", "", b("x")}, {"/other", "", b("y")}}, {}, 3};
  const Bytes e = encode_node({node_cid(c), node_cid(d)}, delta_e);
  EXPECT_EQ(e, hex(golden::node_e_hex));
  EXPECT_EQ(node_cid(e).to_string(), golden::node_e_cid);
  EXPECT_EQ(element_id(node_cid(e).hash()), golden::node_e_id);
  auto node = decode_node(node_cid(e), e);
  ASSERT_TRUE(node);
  EXPECT_EQ(node->links, (std::vector<mf::Cid>{node_cid(c), node_cid(d)}));
  EXPECT_EQ(node->delta, delta_e);
}

TEST(CrdtFixture, ACidV0LinkIsTheSameParentByMultihash) {
  const mf::Cid a = cid(golden::node_a_cid);
  const Bytes f = encode_node({*mf::Cid::v0(a.hash())}, Delta{{{"/f", "", b("v")}}, {}, 2});
  EXPECT_EQ(f, hex(golden::node_f_hex));
  EXPECT_EQ(node_cid(f).to_string(), golden::node_f_cid);
  auto node = decode_node(cid(golden::node_f_cid), f);
  ASSERT_TRUE(node);
  ASSERT_EQ(node->links.size(), 1u);
  EXPECT_EQ(node->links[0].version(), 0);
  EXPECT_NE(node->links[0], a);
  EXPECT_EQ(node->links[0].hash(), a.hash());
  EXPECT_EQ(element_id(node->links[0].hash()), golden::node_a_id);
}

TEST(CrdtFixture, DataBeforeLinksDecodesButIsAnotherBlock) {
  const Bytes g = hex(golden::node_g_hex);
  const mf::Cid gcid = cid(golden::node_g_cid);
  EXPECT_EQ(node_cid(g), gcid);
  auto node = decode_node(gcid, g);
  ASSERT_TRUE(node) << node.error().message();
  EXPECT_EQ(node->links, std::vector<mf::Cid>{cid(golden::node_a_cid)});
  EXPECT_EQ(node->delta, (Delta{{{"/g", "", b("w")}}, {}, 2}));
  // Re-encoding writes links first: same content, different bytes and CID. Identity is the
  // received block's hash, never a re-encoding's.
  const Bytes canonical = encode_node(node->links, node->delta);
  EXPECT_NE(canonical, g);
  EXPECT_NE(node_cid(canonical), gcid);
}

TEST(CrdtFixture, ABlockUnderAnotherNodesCidIsRefused) {
  auto swapped = decode_node(cid(golden::node_a_cid), hex(golden::node_b_hex));
  ASSERT_FALSE(swapped);
  EXPECT_EQ(swapped.error(), errc::hash_mismatch);
}

}  // namespace
}  // namespace cf::crdt
