// The migration runner, driven with test-only migration lists injected through OpenOptions.
#include <gtest/gtest.h>

#include <array>

#include "cf/store/store.hpp"
#include "store/temp_dir.hpp"

namespace cf::store {
namespace {

using testing::read_file;
using testing::TempDir;

constexpr Migration v1{1, "test v1", "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);"};
constexpr Migration v2{2, "test v2: index and column",
                       "ALTER TABLE items ADD COLUMN size INTEGER NOT NULL DEFAULT 0;"
                       "CREATE INDEX items_by_name ON items (name);"};
constexpr Migration v2_broken{2, "test v2: fails halfway",
                              "CREATE TABLE half (x);"
                              "INSERT INTO items (name) VALUES ('added by v2');"
                              "THIS IS NOT SQL;"};
constexpr std::array<Migration, 1> only_v1{v1};
constexpr std::array<Migration, 2> v1_v2{v1, v2};
constexpr std::array<Migration, 2> v1_broken_v2{v1, v2_broken};

Result<Store> open_with(const std::filesystem::path& path, std::span<const Migration> list,
                        OpenMode mode = OpenMode::read_write) {
  return Store::open(path, mode, {.migrations = list});
}

std::int64_t count(Store& store, const std::string& sql) {
  auto st = store.prepare(sql);
  EXPECT_TRUE(st) << st.error().message();
  auto row = st->step();
  EXPECT_TRUE(row && *row);
  return st->column_int(0);
}

TEST(Migrate, RealSchemaFromEmptyToLatestInOrder) {
  TempDir dir;
  auto store = Store::open(dir / "state.db", OpenMode::read_write);
  ASSERT_TRUE(store) << store.error().message();
  EXPECT_EQ(*store->schema_version(), supported_schema_version());
  auto steps = schema_migrations();
  ASSERT_FALSE(steps.empty());
  for (std::size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(steps[i].version, int(i) + 1);
}

TEST(Migrate, UpgradesAVersion1FileAndKeepsItsData) {
  TempDir dir;
  auto path = dir / "state.db";
  {
    auto store = open_with(path, only_v1);
    ASSERT_TRUE(store) << store.error().message();
    EXPECT_EQ(*store->schema_version(), 1);
    ASSERT_TRUE(store->exec("INSERT INTO items (name) VALUES ('kept')"));
  }
  auto store = open_with(path, v1_v2);
  ASSERT_TRUE(store) << store.error().message();
  EXPECT_EQ(*store->schema_version(), 2);
  EXPECT_EQ(count(*store, "SELECT count(*) FROM items WHERE name = 'kept' AND size = 0"), 1);
  EXPECT_EQ(count(*store, "SELECT count(*) FROM sqlite_schema WHERE name = 'items_by_name'"), 1);
}

// The real step 2 on a file written by a build that knew only step 1: the CRDT rows stay and
// the new counters start from them.
TEST(Migrate, RealVersion1FileUpgradesToVersion2KeepingItsData) {
  TempDir dir;
  auto path = dir / "state.db";
  {
    auto store = open_with(path, schema_migrations().first(1));
    ASSERT_TRUE(store) << store.error().message();
    EXPECT_EQ(*store->schema_version(), 1);
    ASSERT_TRUE(store->exec(
        "INSERT INTO crdt_heads (block, cid, height, seen_at) VALUES "
        "(x'1220aa', x'01701220aa', 9, 1), (x'1220bb', x'01701220bb', 0, 1);"
        "INSERT INTO crdt_processed (block, priority) VALUES (x'1220aa', 9), (x'1220cc', 4);"
        "INSERT INTO crdt_frontier (block, cid, attempts, added_at) VALUES "
        "(x'1220bb', x'01701220bb', 2, 1), (x'1220dd', x'01701220dd', 0, 1);"
        "INSERT INTO crdt_elements (key, block, priority, value) "
        "VALUES ('/K', x'1220aa', 9, x'0a');"
        "INSERT INTO pins (cid, cid_text, type, updated_at) VALUES (x'01', 'a', 'pin', 1);"));
  }
  auto store = open_with(path, schema_migrations());
  ASSERT_TRUE(store) << store.error().message();
  EXPECT_EQ(*store->schema_version(), 2);
  auto counter = [&](const std::string& name) {
    return count(*store, "SELECT value FROM counters WHERE name = '" + name + "'");
  };
  EXPECT_EQ(counter("crdt_heads"), 2);
  EXPECT_EQ(counter("crdt_max_height"), 9);
  EXPECT_EQ(counter("crdt_frontier_failing"), 1);
  EXPECT_EQ(counter("crdt_frontier"), 2);
  EXPECT_EQ(counter("crdt_processed"), 2);
  EXPECT_EQ(counter("crdt_blocks"), 0);
  EXPECT_EQ(counter("crdt_block_bytes"), 0);
  EXPECT_EQ(counter("pins"), 1);
  EXPECT_EQ(count(*store, "SELECT count(*) FROM crdt_elements"), 1);
  EXPECT_EQ(count(*store, "SELECT count(*) FROM crdt_blocks"), 0);
  // The new triggers work on the upgraded file.
  ASSERT_TRUE(store->exec("DELETE FROM crdt_heads WHERE block = x'1220aa'"));
  EXPECT_EQ(counter("crdt_heads"), 1);
}

TEST(Migrate, FailedStepRollsBackAndLeavesTheFileAsItWas) {
  TempDir dir;
  auto path = dir / "state.db";
  {
    auto store = open_with(path, only_v1);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->exec("INSERT INTO items (name) VALUES ('before')"));
  }
  const std::string before = read_file(path);
  auto failed = open_with(path, v1_broken_v2);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), errc::migration_failed);
  const std::string& message = failed.error().message();
  EXPECT_NE(message.find("migrating " + path.string() +
                         " to schema version 2 (test v2: fails halfway) failed and was rolled "
                         "back, the file stays at schema version 1"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("syntax error"), std::string::npos) << message;
  EXPECT_EQ(read_file(path), before);

  auto store = open_with(path, only_v1);
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->schema_version(), 1);
  EXPECT_EQ(count(*store, "SELECT count(*) FROM items"), 1);
  EXPECT_EQ(count(*store, "SELECT count(*) FROM sqlite_schema WHERE name = 'half'"), 0);
}

TEST(Migrate, FirstStepFailingOnANewFileLeavesAFreshFile) {
  TempDir dir;
  auto path = dir / "state.db";
  constexpr std::array<Migration, 1> broken{Migration{1, "broken", "NOT SQL"}};
  auto failed = open_with(path, broken);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), errc::migration_failed);
  // Nothing of the failed step remains, so the next start treats the file as new.
  auto store = open_with(path, only_v1);
  ASSERT_TRUE(store) << store.error().message();
  EXPECT_EQ(*store->schema_version(), 1);
}

TEST(Migrate, ABinaryThatKnowsFewerStepsRefusesTheUpgradedFile) {
  TempDir dir;
  auto path = dir / "state.db";
  ASSERT_TRUE(open_with(path, v1_v2));
  auto older = open_with(path, only_v1);
  ASSERT_FALSE(older);
  EXPECT_EQ(older.error(), errc::schema_too_new);
  EXPECT_EQ(older.error().message(),
            path.string() +
                " schema version 2 is newer than this cluster-follow supports (1); upgrade "
                "cluster-follow");
}

TEST(Migrate, ReadOnlyNeverMigrates) {
  TempDir dir;
  auto path = dir / "state.db";
  ASSERT_TRUE(open_with(path, only_v1));
  auto reader = open_with(path, v1_v2, OpenMode::read_only);
  ASSERT_FALSE(reader);
  EXPECT_EQ(reader.error(), errc::schema_too_old);
  auto store = open_with(path, only_v1, OpenMode::read_only);
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->schema_version(), 1);
}

TEST(Migrate, RejectsAMisnumberedList) {
  TempDir dir;
  constexpr std::array<Migration, 2> gap{v1, Migration{3, "gap", "SELECT 1"}};
  auto store = open_with(dir / "state.db", gap);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error(), errc::bad_migrations);
  EXPECT_FALSE(std::filesystem::exists(dir / "state.db"));
}

}  // namespace
}  // namespace cf::store
