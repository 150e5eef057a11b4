#include "cf/follower/siblings.hpp"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include "cf/base/log.hpp"

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
  EXPECT_EQ(siblings.check(cid(1)), SiblingVerdict::wanted);      // in the other cluster's pinset
  EXPECT_EQ(siblings.check(cid(2)), SiblingVerdict::not_wanted);  // there, but remote: not pinned for it
  EXPECT_EQ(siblings.check(cid(3)), SiblingVerdict::not_wanted);  // not there at all
  EXPECT_TRUE(siblings.unreadable().empty());
}

TEST_F(SiblingsTest, AClusterIsNotItsOwnSibling) {
  Siblings siblings(root_, "other");
  EXPECT_EQ(siblings.check(cid(1)), SiblingVerdict::not_wanted);
}

TEST_F(SiblingsTest, ASiblingThatNeverRanWantsNothing) {
  fs::create_directories(root_ / "fresh");
  std::ofstream(root_ / "fresh" / "service.json") << "{}";
  Siblings siblings(root_, "self");
  EXPECT_EQ(siblings.check(cid(3)), SiblingVerdict::not_wanted);
  EXPECT_TRUE(Siblings::find_unreadable(root_, "self").empty());
}

// A sibling's state.db as an upgrade, a crash or a mistake can leave it. (Mode 000 is no test
// as root, which reads it anyway; a folder in its place fails the same way.)
enum class Damage { garbage, folder, newer_schema };

void damage_sibling(const fs::path& root, const std::string& name, Damage how) {
  fs::create_directories(root / name);
  std::ofstream(root / name / "service.json") << "{\"source\": \"http://127.0.0.1:9/t\"}";
  auto db_path = ClusterPaths::under(root, name).state_db;
  switch (how) {
    case Damage::garbage: std::ofstream(db_path) << std::string(8192, 'x'); break;
    case Damage::folder: fs::create_directories(db_path); break;
    case Damage::newer_schema: {
      auto db = store::Store::open(db_path, store::OpenMode::read_write);
      ASSERT_TRUE(db) << db.error().message();
      ASSERT_TRUE(db->exec("PRAGMA user_version = 9999"));
      break;
    }
  }
}

class UnreadableSiblingTest : public SiblingsTest, public testing::WithParamInterface<Damage> {};

TEST_P(UnreadableSiblingTest, FailsClosedNamingTheSiblingAndWhy) {
  damage_sibling(root_, "broken", GetParam());
  Siblings siblings(root_, "self");
  // Nobody readable wants cid(3), but "broken" might: the unpin must wait.
  EXPECT_EQ(siblings.check(cid(3)), SiblingVerdict::unknown);
  ASSERT_EQ(siblings.unreadable().size(), 1u);
  EXPECT_TRUE(siblings.unreadable().contains("broken"));
  EXPECT_FALSE(siblings.unreadable().at("broken").empty());
  // A readable sibling that wants it still answers for it.
  EXPECT_EQ(siblings.check(cid(1)), SiblingVerdict::wanted);
  auto found = Siblings::find_unreadable(root_, "self");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found.begin()->first, "broken");
}

INSTANTIATE_TEST_SUITE_P(Damages, UnreadableSiblingTest,
                         testing::Values(Damage::garbage, Damage::folder, Damage::newer_schema));

TEST_F(SiblingsTest, AnUnreadableSiblingIsLoggedOncePerChangeNotPerCid) {
  std::ostringstream lines;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(lines);
  auto logger = log::get("pintracker");
  logger->sinks().push_back(sink);
  auto count = [&lines](const std::string& what) {
    auto text = lines.str();
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  damage_sibling(root_, "broken", Damage::garbage);
  Siblings siblings(root_, "self");
  for (int n = 3; n < 8; ++n) EXPECT_EQ(siblings.check(cid(n)), SiblingVerdict::unknown);
  EXPECT_EQ(count("cannot read sibling cluster broken"), 1u) << lines.str();
  EXPECT_NE(lines.str().find((root_ / "broken").string()), std::string::npos) << "names the folder";
  fs::remove(ClusterPaths::under(root_, "broken").state_db);
  EXPECT_EQ(siblings.check(cid(3)), SiblingVerdict::not_wanted);
  EXPECT_EQ(count("sibling cluster broken under"), 1u) << "says it is readable again: " << lines.str();
  EXPECT_TRUE(siblings.unreadable().empty());
  damage_sibling(root_, "broken", Damage::folder);
  EXPECT_EQ(siblings.check(cid(3)), SiblingVerdict::unknown);
  EXPECT_EQ(count("cannot read sibling cluster broken"), 2u) << lines.str();
  logger->sinks().pop_back();
}

}  // namespace
}  // namespace cf::follower
