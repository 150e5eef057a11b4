#include "cf/follower/siblings.hpp"

#include <fstream>

#include <gtest/gtest.h>

#include "cf/follower/paths.hpp"
#include "cf/follower/pinset_tables.hpp"

namespace cf::follower {
namespace {

namespace fs = std::filesystem;
using multiformats::Cid;

Cid cid(int n) {
  std::string data = "sibling block " + std::to_string(n);
  return Cid::v1(multiformats::multicodec::raw, multiformats::Multihash::sha2_256(as_bytes(data)));
}

class SiblingsTest : public testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(testing::TempDir()) / ("cf-sib-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    for (auto name : {"self", "other"}) {
      fs::create_directories(root_ / name);
      std::ofstream(root_ / name / "service.json") << "{\"source\": \"http://127.0.0.1:9/t\"}";
    }
    auto db = store::Store::open(ClusterPaths::under(root_, "other").state_db, store::OpenMode::read_write);
    ASSERT_TRUE(db) << db.error().message();
    auto pins = PinsTable::open(*db);
    auto statuses = StatusTable::open(*db);
    ASSERT_TRUE(pins && statuses);
    ASSERT_TRUE(pins->put(cluster::Pin{cid(1)}, 1));
    ASSERT_TRUE(pins->put(cluster::Pin{cid(2)}, 1));
    StatusRow remote{cid(2)};
    remote.status = store::PinStatus::remote;
    ASSERT_TRUE(statuses->put(remote));
  }
  void TearDown() override { fs::remove_all(root_); }
  fs::path root_;
};

TEST_F(SiblingsTest, AnotherClusterWantingTheCidKeepsItPinned) {
  Siblings siblings(root_, "self");
  EXPECT_TRUE(siblings.wants(cid(1)));   // in the other cluster's pinset
  EXPECT_FALSE(siblings.wants(cid(2)));  // there, but remote: not pinned for it
  EXPECT_FALSE(siblings.wants(cid(3)));  // not there at all
}

TEST_F(SiblingsTest, AClusterIsNotItsOwnSibling) {
  Siblings siblings(root_, "other");
  EXPECT_FALSE(siblings.wants(cid(1)));
}

}  // namespace
}  // namespace cf::follower
