// The CRDT source's pinset changes (pinset_diff_of): bad delta elements are skipped and
// counted, not applied and not removed (issue 11); names are capped as on the REST path.
#include "cf/follower/crdt_follower.hpp"

#include <gtest/gtest.h>

#include "cf/cluster/pin_proto.hpp"
#include "cf/crdt/keys.hpp"

namespace cf::follower {
namespace {

namespace mf = multiformats;

mf::Cid cid_of(std::uint8_t n) {
  Bytes digest(32, n);
  return mf::Cid::v1(0x55, mf::Multihash::create(0x12, digest));
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(CrdtPinsetDiff, BadElementsAreSkippedAndCountedTheRestApplied) {
  cluster::Pin good{cid_of(1)};
  good.name = std::string(10'000, 'n');  // over max_pin_name_size: cut, still applied
  cluster::Pin plain{cid_of(2)};
  std::vector<crdt::KeyChange> changes{
      {.key = crdt::pin_key(good.cid), .after = cluster::pin_to_protobuf(good)},
      {.key = "/not-a-cid", .after = cluster::pin_to_protobuf(plain)},
      {.key = crdt::pin_key(cid_of(3)), .after = Bytes{0x10, 0x00}},  // Type BadType: no valid Pin
      {.key = crdt::pin_key(plain.cid), .after = cluster::pin_to_protobuf(plain)},
      {.key = crdt::pin_key(cid_of(4)), .before = Bytes{}, .after = std::nullopt},
  };
  Metrics metrics([] { return 0; });
  std::uint64_t logged = 0;
  auto diff = pinset_diff_of(changes, metrics, logged);
  ASSERT_EQ(diff.puts.size(), 2u);
  EXPECT_EQ(diff.puts[0].cid, good.cid);
  EXPECT_EQ(diff.puts[0].name, std::string(cluster::max_pin_name_size, 'n'));
  EXPECT_EQ(diff.puts[1], *cluster::pin_from_protobuf(cluster::pin_to_protobuf(plain), plain.cid));
  // The bad value of cid 3 is no remove: a version stored before stays.
  EXPECT_EQ(diff.removes, (std::vector<mf::Cid>{cid_of(4)}));
  auto text = metrics.render_prometheus();
  EXPECT_TRUE(has_line(text, "cluster_follow_pins_skipped_total{reason=\"invalid_cid\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "cluster_follow_pins_skipped_total{reason=\"invalid_field\"} 1")) << text;
  EXPECT_TRUE(has_line(text, "cluster_follow_pin_fields_capped_total{field=\"name\"} 1")) << text;
  EXPECT_EQ(logged, 3u);
  // The log budget bounds lines, not counts.
  pinset_diff_of(changes, metrics, logged, 0);
  EXPECT_EQ(logged, 6u);
  EXPECT_TRUE(has_line(metrics.render_prometheus(), "cluster_follow_pins_skipped_total{reason=\"invalid_cid\"} 2"));
}

}  // namespace
}  // namespace cf::follower
