// Schema behaviour that later layers rely on: constraints and the trigger-kept counters.
#include <gtest/gtest.h>

#include "cf/store/store.hpp"
#include "store/temp_dir.hpp"

namespace cf::store {
namespace {

using testing::TempDir;

class Schema : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Store::open(dir_ / "state.db", OpenMode::read_write);
    ASSERT_TRUE(opened) << opened.error().message();
    store_.emplace(std::move(opened).value());
  }

  std::int64_t counter(const std::string& name) {
    auto st = store_->prepare("SELECT value FROM counters WHERE name = ?1");
    EXPECT_TRUE(st);
    st->bind(1, name);
    auto row = st->step();
    EXPECT_TRUE(row && *row) << name;
    return st->column_int(0);
  }

  std::int64_t count(const std::string& sql) {
    auto st = store_->prepare(sql);
    EXPECT_TRUE(st) << st.error().message();
    EXPECT_TRUE(*st->step());
    return st->column_int(0);
  }

  Status exec(const std::string& sql) { return store_->exec(sql); }

  TempDir dir_;
  std::optional<Store> store_;
};

TEST_F(Schema, PinCounterFollowsInsertsAndDeletes) {
  ASSERT_TRUE(exec("INSERT INTO pins (cid, cid_text, type, updated_at) VALUES "
                   "(x'01', 'a', 'pin', 1), (x'02', 'b', 'shard-pin', 1)"));
  EXPECT_EQ(counter("pins"), 2);
  ASSERT_TRUE(exec("DELETE FROM pins WHERE cid = x'01'"));
  EXPECT_EQ(counter("pins"), 1);
  EXPECT_EQ(counter("pins"), count("SELECT count(*) FROM pins"));
}

TEST_F(Schema, StatusCountersFollowInsertUpdateReplaceAndDelete) {
  ASSERT_TRUE(exec("INSERT INTO pin_status (cid, status, updated_at) VALUES "
                   "(x'01', 'pin_queued', 1), (x'02', 'pin_queued', 1)"));
  ASSERT_TRUE(exec("UPDATE pin_status SET status = 'pinning' WHERE cid = x'01'"));
  // Not a status change: the counters must not move.
  ASSERT_TRUE(exec("UPDATE pin_status SET attempts = 1 WHERE cid = x'01'"));
  ASSERT_TRUE(exec("INSERT OR REPLACE INTO pin_status (cid, status, updated_at) "
                   "VALUES (x'02', 'pinned', 2)"));
  ASSERT_TRUE(exec("INSERT INTO pin_status (cid, status, updated_at) VALUES (x'03', 'remote', 1) "
                   "ON CONFLICT (cid) DO UPDATE SET status = excluded.status"));
  ASSERT_TRUE(exec("INSERT INTO pin_status (cid, status, updated_at) "
                   "VALUES (x'03', 'pin_error', 1) "
                   "ON CONFLICT (cid) DO UPDATE SET status = excluded.status"));
  EXPECT_EQ(counter("pin_status:pin_queued"), 0);
  EXPECT_EQ(counter("pin_status:pinning"), 1);
  EXPECT_EQ(counter("pin_status:pinned"), 1);
  EXPECT_EQ(counter("pin_status:remote"), 0);
  EXPECT_EQ(counter("pin_status:pin_error"), 1);
  ASSERT_TRUE(exec("DELETE FROM pin_status"));
  EXPECT_EQ(count("SELECT sum(value) FROM counters WHERE name LIKE 'pin_status:%'"), 0);
}

TEST_F(Schema, CrdtCountersFollowTheirTables) {
  ASSERT_TRUE(exec("INSERT INTO crdt_frontier (block, cid, priority, added_at) VALUES "
                   "(x'1220aa', x'01701220aa', 7, 1)"));
  ASSERT_TRUE(exec("INSERT INTO crdt_processed (block, priority) VALUES (x'1220bb', 8)"));
  EXPECT_EQ(counter("crdt_frontier"), 1);
  EXPECT_EQ(counter("crdt_processed"), 1);
  ASSERT_TRUE(exec("DELETE FROM crdt_frontier"));
  EXPECT_EQ(counter("crdt_frontier"), 0);
}

TEST_F(Schema, BlockCountersFollowInsertsReplacesAndDeletes) {
  ASSERT_TRUE(exec("INSERT INTO crdt_blocks (block, data) VALUES "
                   "(x'1220aa', x'0102030405'), (x'1220bb', x'')"));
  EXPECT_EQ(counter("crdt_blocks"), 2);
  EXPECT_EQ(counter("crdt_block_bytes"), 5);
  ASSERT_TRUE(exec("INSERT OR REPLACE INTO crdt_blocks (block, data) VALUES (x'1220aa', x'01')"));
  EXPECT_EQ(counter("crdt_blocks"), 2);
  EXPECT_EQ(counter("crdt_block_bytes"), 1);
  ASSERT_TRUE(exec("UPDATE crdt_blocks SET data = x'0102' WHERE block = x'1220bb'"));
  EXPECT_EQ(counter("crdt_block_bytes"), 3);
  // A conflicting upsert that does nothing must not count.
  ASSERT_TRUE(exec("INSERT INTO crdt_blocks (block, data) VALUES (x'1220bb', x'ffffff') "
                   "ON CONFLICT (block) DO NOTHING"));
  EXPECT_EQ(counter("crdt_blocks"), 2);
  EXPECT_EQ(counter("crdt_block_bytes"), 3);
  ASSERT_TRUE(exec("DELETE FROM crdt_blocks WHERE block = x'1220aa'"));
  EXPECT_EQ(counter("crdt_blocks"), 1);
  EXPECT_EQ(counter("crdt_block_bytes"), 2);
  EXPECT_EQ(counter("crdt_block_bytes"), count("SELECT sum(length(data)) FROM crdt_blocks"));
}

TEST_F(Schema, HeadAndFailingCountersFollowTheirRows) {
  ASSERT_TRUE(exec("INSERT INTO crdt_heads (block, cid, height, seen_at) VALUES "
                   "(x'1220aa', x'01701220aa', 0, 1), (x'1220bb', x'01701220bb', 0, 1)"));
  ASSERT_TRUE(exec("INSERT INTO crdt_heads (block, cid, height, seen_at) "
                   "VALUES (x'1220aa', x'01701220aa', 0, 2) "
                   "ON CONFLICT (block) DO UPDATE SET seen_at = excluded.seen_at"));
  EXPECT_EQ(counter("crdt_heads"), 2);
  ASSERT_TRUE(exec("DELETE FROM crdt_heads WHERE block = x'1220bb'"));
  EXPECT_EQ(counter("crdt_heads"), 1);

  ASSERT_TRUE(exec("INSERT INTO crdt_frontier (block, cid, attempts, added_at) VALUES "
                   "(x'1220aa', x'01', 0, 1), (x'1220bb', x'02', 3, 1), (x'1220cc', x'03', 0, 1)"));
  EXPECT_EQ(counter("crdt_frontier_failing"), 1);
  ASSERT_TRUE(exec("UPDATE crdt_frontier SET attempts = attempts + 1"));
  EXPECT_EQ(counter("crdt_frontier_failing"), 3);
  ASSERT_TRUE(exec("UPDATE crdt_frontier SET attempts = 0 WHERE block = x'1220cc'"));
  EXPECT_EQ(counter("crdt_frontier_failing"), 2);
  ASSERT_TRUE(exec("UPDATE crdt_frontier SET last_error = 'x'"));
  EXPECT_EQ(counter("crdt_frontier_failing"), 2);
  ASSERT_TRUE(exec("DELETE FROM crdt_frontier WHERE block = x'1220bb'"));
  EXPECT_EQ(counter("crdt_frontier_failing"), 1);
  EXPECT_EQ(counter("crdt_frontier_failing"),
            count("SELECT count(*) FROM crdt_frontier WHERE attempts > 0"));
  EXPECT_EQ(counter("crdt_frontier"), 2);
}

TEST_F(Schema, MaxHeightCounterStartsAtZero) {
  // Kept by the CRDT merge (max over processed nodes), not by a trigger.
  EXPECT_EQ(counter("crdt_max_height"), 0);
}

TEST_F(Schema, ConstraintsRejectBadRows) {
  auto bad_type = exec("INSERT INTO pins (cid, cid_text, type, updated_at) "
                       "VALUES (x'01', 'a', 'data', 1)");
  ASSERT_FALSE(bad_type);
  EXPECT_EQ(bad_type.error(), errc::constraint_failed);
  EXPECT_FALSE(exec("INSERT INTO pins (cid, cid_text, type, allocations, updated_at) "
                    "VALUES (x'01', 'a', 'pin', 'not json', 1)"));
  EXPECT_FALSE(exec("INSERT INTO pins (cid, cid_text, type, metadata, updated_at) "
                    "VALUES (x'01', 'a', 'pin', '[]', 1)"));
  EXPECT_FALSE(exec("INSERT INTO pin_status (cid, status, updated_at) VALUES (x'01', 'done', 1)"));
  EXPECT_FALSE(exec("INSERT INTO pin_status (cid, status, ownership, updated_at) "
                    "VALUES (x'01', 'pinned', 'mine', 1)"));
  // STRICT tables refuse a value of the wrong type instead of storing it as text.
  EXPECT_FALSE(exec("INSERT INTO crdt_processed (block, priority) VALUES (x'01', 'high')"));
  EXPECT_FALSE(exec("INSERT INTO crdt_elements (key, block, priority, value) "
                    "VALUES ('/K', x'01', -1, x'00')"));
  EXPECT_FALSE(exec("INSERT INTO crdt_blocks (block, data) VALUES (x'01', NULL)"));
  EXPECT_FALSE(exec("INSERT INTO crdt_blocks (block, data) VALUES (x'01', 'text')"));
}

TEST_F(Schema, ElementIndexKeepsOneEntryPerKeyAndBlock) {
  ASSERT_TRUE(exec("INSERT INTO crdt_elements (key, block, priority, value) VALUES "
                   "('/K', x'1220aa', 3, x'0a01'), ('/K', x'1220bb', 5, x'0a02'),"
                   "('/K/sub', x'1220aa', 3, x'0a03')"));
  ASSERT_TRUE(exec("INSERT INTO crdt_tombstones (key, block) VALUES ('/K', x'1220bb')"));
  auto dup = exec("INSERT INTO crdt_elements (key, block, priority, value) "
                  "VALUES ('/K', x'1220aa', 4, x'00')");
  EXPECT_EQ(dup.error(), errc::constraint_failed);
  // The query the CRDT merge will use: best live value by priority, then bytes.
  auto st = store_->prepare(
      "SELECT priority, value FROM crdt_elements e WHERE key = ?1 AND NOT EXISTS "
      "(SELECT 1 FROM crdt_tombstones t WHERE t.key = e.key AND t.block = e.block) "
      "ORDER BY priority DESC, value DESC LIMIT 1");
  ASSERT_TRUE(st);
  st->bind(1, std::string_view("/K"));
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->column_int(0), 3);
  EXPECT_EQ(st->column_blob(1), (Bytes{0x0a, 0x01}));
}

}  // namespace
}  // namespace cf::store
