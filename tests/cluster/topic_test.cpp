#include "cf/cluster/topic.hpp"

#include <gtest/gtest.h>

namespace cf::cluster {
namespace {

// [CALC] vector from the brief: base58btc(d5 01 10 || md5("ipfs-cluster")).
TEST(Topic, DefaultClusterName) {
  EXPECT_EQ(pubsub_topic("ipfs-cluster"), "fzhnp2UwTBkgNabrJi1VanzwgN");
}

TEST(Topic, DependsOnTheName) {
  EXPECT_NE(pubsub_topic("ipfs-cluster"), pubsub_topic("filecoin"));
  EXPECT_FALSE(pubsub_topic("").empty());
}

}  // namespace
}  // namespace cf::cluster
