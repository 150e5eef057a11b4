// go-ds-crdt nodes: what makeNode writes (crdt-dag-and-pinset.md §2.2) and what extractDelta
// reads, behind the block check.
#include "cf/crdt/node.hpp"

#include <gtest/gtest.h>

#include "cf/crdt/errc.hpp"
#include "cf/multiformats/multicodec.hpp"
#include "golden.hpp"

namespace cf::crdt {
namespace {

namespace mf = multiformats;
using golden::hex;

const mf::Cid node_a = *mf::Cid::parse(golden::node_a_cid);

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(CrdtNode, LinksAreWrittenWithEmptyNameAndZeroTsizeThenData) {
  const Delta delta{{{"/k", "", {'v'}}}, {}, 2};
  const Bytes v1_link = cat({hex("122a0a24"), node_a.bytes(), hex("12001800")});
  const Bytes v0_link = cat({hex("12280a22"), node_a.hash().bytes(), hex("12001800")});
  const Bytes delta_bytes = encode_delta(delta);
  const Bytes data = cat({hex("0a"), Bytes{static_cast<std::uint8_t>(delta_bytes.size())}, delta_bytes});
  EXPECT_EQ(v1_link.size(), 44u);
  EXPECT_EQ(encode_node({node_a}, delta), cat({v1_link, data}));
  EXPECT_EQ(encode_node({*mf::Cid::v0(node_a.hash()), node_a}, delta), cat({v0_link, v1_link, data}));
}

TEST(CrdtNode, DecodesUnderItsCidInBlockOrder) {
  const mf::Cid other = *mf::Cid::parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n");
  const Delta delta{{}, {{"/k", "/ID", {}}}, 9};
  const Bytes block = encode_node({other, node_a}, delta);
  auto node = decode_node(node_cid(block), block);
  ASSERT_TRUE(node) << node.error().message();
  EXPECT_EQ(node->links, (std::vector<mf::Cid>{other, node_a}));
  EXPECT_EQ(node->delta, delta);
  // Its CIDv0 names the same block.
  EXPECT_TRUE(decode_node(*mf::Cid::v0(node_cid(block).hash()), block));
}

TEST(CrdtNode, RefusesABlockThatIsNotTheNodeAskedFor) {
  const Bytes block = encode_node({}, Delta{{{"/k", "", {'v'}}}, {}, 1});
  Bytes tampered = block;
  tampered.back() ^= 1;
  auto mismatch = decode_node(node_cid(block), tampered);
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error(), errc::hash_mismatch);
  const mf::Cid raw = mf::Cid::v1(mf::multicodec::raw, node_cid(block).hash());
  auto not_dagpb = decode_node(raw, block);
  ASSERT_FALSE(not_dagpb);
  EXPECT_EQ(not_dagpb.error(), errc::unsupported_cid);
}

TEST(CrdtNode, AbsentDataIsAnEmptyDeltaAndBadDataIsAMalformedDelta) {
  const Bytes links_only = hex("120b0a09015500050001020304");
  auto node = decode_node(node_cid(links_only), links_only);
  ASSERT_TRUE(node);
  EXPECT_EQ(node->delta, Delta{});
  ASSERT_EQ(node->links.size(), 1u);

  const Bytes bad_delta = hex("0a020a05");
  auto bad = decode_node(node_cid(bad_delta), bad_delta);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), errc::malformed_delta);
  const Bytes bad_node = hex("0a000a00");
  bad = decode_node(node_cid(bad_node), bad_node);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), errc::malformed_node);
}

TEST(CrdtNode, LimitsReachBothDecoders) {
  const Bytes block = encode_node({node_a, node_a}, Delta{{{"/a", "", {'1'}}, {"/b", "", {'2'}}}, {}, 1});
  NodeLimits limits;
  limits.dagpb.max_links = 1;
  auto node = decode_node(node_cid(block), block, limits);
  ASSERT_FALSE(node);
  EXPECT_EQ(node.error(), errc::too_large);
  limits = NodeLimits{};
  limits.delta.max_entries = 1;
  node = decode_node(node_cid(block), block, limits);
  ASSERT_FALSE(node);
  EXPECT_EQ(node.error(), errc::too_large);
}

}  // namespace
}  // namespace cf::crdt
