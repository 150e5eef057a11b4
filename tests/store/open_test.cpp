// Files Store::open must refuse without changing a byte of them.
#include <gtest/gtest.h>

#include <unistd.h>

#include <random>

#include "cf/store/store.hpp"
#include "store/temp_dir.hpp"

namespace cf::store {
namespace {

using testing::read_file;
using testing::TempDir;
using testing::write_file;

// A state.db whose schema claims `version`, closed (WAL checkpointed) so it is one stable file.
void make_store_with_version(const std::filesystem::path& path, int version) {
  auto store = Store::open(path, OpenMode::read_write);
  ASSERT_TRUE(store) << store.error().message();
  ASSERT_TRUE(store->set_meta("cluster_name", "x"));
  ASSERT_TRUE(store->exec("PRAGMA user_version = " + std::to_string(version)));
}

TEST(Open, RefusesANewerSchemaAndLeavesTheFileByteIdentical) {
  TempDir dir;
  auto path = dir / "state.db";
  make_store_with_version(path, 5);
  const std::string before = read_file(path);
  const std::string expected = path.string() +
                               " schema version 5 is newer than this cluster-follow supports (" +
                               std::to_string(supported_schema_version()) +
                               "); upgrade cluster-follow";
  for (auto mode : {OpenMode::read_write, OpenMode::read_only}) {
    auto store = Store::open(path, mode);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error(), errc::schema_too_new);
    EXPECT_EQ(store.error().message(), expected);
  }
  EXPECT_EQ(read_file(path), before);
}

TEST(Open, RefusesGarbageAsCorruptAndLeavesItByteIdentical) {
  TempDir dir;
  auto path = dir / "state.db";
  std::mt19937 rng(42);  // fixed seed: the same "random" file every run
  std::string garbage(64 * 1024, '\0');
  for (auto& c : garbage) c = static_cast<char>(rng());
  write_file(path, garbage);
  for (auto mode : {OpenMode::read_write, OpenMode::read_only}) {
    auto store = Store::open(path, mode);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error(), errc::corrupt);
    EXPECT_NE(store.error().message().find(path.string() + " is not a usable state database"),
              std::string::npos)
        << store.error().message();
    EXPECT_NE(store.error().message().find("left untouched"), std::string::npos);
  }
  EXPECT_EQ(read_file(path), garbage);
  EXPECT_FALSE(std::filesystem::exists(dir / "state.db-wal"));
}

TEST(Open, RefusesADamagedPageFoundByQuickCheck) {
  TempDir dir;
  auto path = dir / "state.db";
  {
    auto store = Store::open(path, OpenMode::read_write);
    ASSERT_TRUE(store);
    for (int i = 0; i < 200; ++i) {
      ASSERT_TRUE(store->set_meta("key" + std::to_string(i), std::string(100, 'v')));
    }
  }
  std::string bytes = read_file(path);
  ASSERT_GT(bytes.size(), 8192u);
  // Overwrite the second half of the file with a pattern: the header (page 1) stays valid, so
  // only a check of the pages finds it.
  for (std::size_t i = bytes.size() / 2; i < bytes.size(); ++i) bytes[i] = '\x5a';
  write_file(path, bytes);
  auto store = Store::open(path, OpenMode::read_write);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error(), errc::corrupt);
  EXPECT_EQ(read_file(path), bytes);
}

TEST(Open, RefusesAnotherProgramsSqliteFile) {
  TempDir dir;
  auto path = dir / "other.db";
  {
    // Another program's file: tables, but a different application_id and no schema version.
    auto store = Store::open(path, OpenMode::read_write);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->exec("PRAGMA application_id = 1234; PRAGMA user_version = 0"));
  }
  const std::string before = read_file(path);
  auto store = Store::open(path, OpenMode::read_write);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error(), errc::foreign_database);
  EXPECT_NE(store.error().message().find(path.string()), std::string::npos);
  EXPECT_EQ(read_file(path), before);
}

TEST(Open, ReadOnlyRefusesAnOlderSchema) {
  TempDir dir;
  auto path = dir / "state.db";
  write_file(path, "");  // an empty file is an empty database: schema version 0
  auto store = Store::open(path, OpenMode::read_only);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error(), errc::schema_too_old);
  EXPECT_EQ(store.error().message(),
            path.string() + " schema version 0 is older than this cluster-follow expects (" +
                std::to_string(supported_schema_version()) + "); start `run` once to upgrade it");
  EXPECT_EQ(read_file(path), "");
}

TEST(Open, ReadWriteAdoptsAnEmptyFile) {
  TempDir dir;
  auto path = dir / "state.db";
  write_file(path, "");
  auto store = Store::open(path, OpenMode::read_write);
  ASSERT_TRUE(store) << store.error().message();
  EXPECT_EQ(*store->schema_version(), supported_schema_version());
}

TEST(Open, RefusedFileKeepsItsUncheckpointedWal) {
  TempDir dir;
  TempDir copy;
  auto path = dir / "state.db";
  auto writer = Store::open(path, OpenMode::read_write);
  ASSERT_TRUE(writer);
  // Commit a newer version into the WAL only, then copy the pair as a crash would leave it.
  ASSERT_TRUE(writer->exec("PRAGMA wal_autocheckpoint = 0; PRAGMA user_version = 7"));
  std::filesystem::copy(path, copy / "state.db");
  std::filesystem::copy(dir / "state.db-wal", copy / "state.db-wal");
  const std::string db_before = read_file(copy / "state.db");
  const std::string wal_before = read_file(copy / "state.db-wal");
  ASSERT_FALSE(wal_before.empty());

  auto store = Store::open(copy / "state.db", OpenMode::read_write);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error(), errc::schema_too_new);
  EXPECT_EQ(read_file(copy / "state.db"), db_before);
  EXPECT_EQ(read_file(copy / "state.db-wal"), wal_before);
}

TEST(Open, RefusesAFolderWithAClearMessage) {
  TempDir dir;
  for (auto mode : {OpenMode::read_write, OpenMode::read_only}) {
    auto store = Store::open(dir.path(), mode);
    ASSERT_FALSE(store);
    EXPECT_EQ(store.error(), errc::io_failed);
    EXPECT_EQ(store.error().message(),
              dir.path().string() + " is a folder, not a state database file");
  }
}

TEST(Open, ReadWriteRefusesAWriteProtectedFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "root ignores file permissions";
  TempDir dir;
  auto path = dir / "state.db";
  ASSERT_TRUE(Store::open(path, OpenMode::read_write));
  std::filesystem::permissions(path, std::filesystem::perms::owner_read);
  auto store = Store::open(path, OpenMode::read_write);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error(), errc::io_failed);
  EXPECT_EQ(store.error().message(), path.string() + " is not writable");
  EXPECT_TRUE(Store::open(path, OpenMode::read_only));
}

}  // namespace
}  // namespace cf::store
