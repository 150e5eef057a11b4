#include "cf/store/store.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "store/temp_dir.hpp"

namespace cf::store {
namespace {

using testing::TempDir;

Store open_rw(const std::filesystem::path& path) {
  auto store = Store::open(path, OpenMode::read_write);
  if (!store) ADD_FAILURE() << store.error().message();
  return std::move(store).value();
}

std::string journal_mode(Store& store) {
  auto st = store.prepare("PRAGMA journal_mode");
  EXPECT_TRUE(st);
  auto row = st->step();
  EXPECT_TRUE(row && *row);
  return st->column_text(0);
}

mode_t permissions(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

TEST(Store, CreatesFileWithOwnerOnlyModeAndLatestSchema) {
  TempDir dir;
  auto path = dir / "state.db";
  Store store = open_rw(path);
  EXPECT_EQ(permissions(path), 0600u);
  EXPECT_EQ(*store.schema_version(), supported_schema_version());
  EXPECT_EQ(store.path(), path);
  EXPECT_EQ(store.mode(), OpenMode::read_write);
  // SQLite gives the WAL and its index the database file's mode.
  ASSERT_TRUE(store.set_meta("k", "v"));
  EXPECT_EQ(permissions(dir / "state.db-wal"), 0600u);
}

// The daemon's check (every second, from the observer) that it still writes the state.db
// everyone else reads: SQLite itself goes on writing into an unlinked file without a word.
TEST(Store, CheckFileNoticesADeletedOrReplacedFile) {
  TempDir dir;
  auto path = dir / "state.db";
  Store store = open_rw(path);
  EXPECT_TRUE(store.check_file());
  ASSERT_TRUE(store.set_meta("k", "v"));
  std::filesystem::remove(path);
  auto deleted = store.check_file();
  ASSERT_FALSE(deleted);
  EXPECT_EQ(deleted.error(), errc::file_replaced);
  EXPECT_NE(deleted.error().message().find(path.string()), std::string::npos);
  EXPECT_TRUE(store.set_meta("k", "w")) << "SQLite does not notice: hence the check";

  Store again = open_rw(dir / "other.db");
  std::filesystem::rename(dir / "other.db", path);  // a new file under the old name
  auto replaced = store.check_file();
  ASSERT_FALSE(replaced);
  EXPECT_EQ(replaced.error(), errc::file_replaced);
  EXPECT_FALSE(again.check_file()) << "renamed away from the path it was opened by";
}

TEST(Store, WriterGetsALargerPageCacheThanReaders) {
  TempDir dir;
  Store store = open_rw(dir / "state.db");
  auto cache = store.prepare("PRAGMA cache_size");
  ASSERT_TRUE(cache);
  ASSERT_TRUE(*cache->step());
  EXPECT_EQ(cache->column_int(0), -32768);  // KiB
  auto reader = Store::open(dir / "state.db", OpenMode::read_only);
  ASSERT_TRUE(reader);
  auto reader_cache = reader->prepare("PRAGMA cache_size");
  ASSERT_TRUE(reader_cache);
  ASSERT_TRUE(*reader_cache->step());
  EXPECT_EQ(reader_cache->column_int(0), -2000);  // SQLite's default
}

TEST(Store, UsesWalAndMarksTheFileAsOurs) {
  TempDir dir;
  Store store = open_rw(dir / "state.db");
  EXPECT_EQ(journal_mode(store), "wal");
  auto st = store.prepare("PRAGMA application_id");
  ASSERT_TRUE(st);
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->column_int(0), application_id);
  auto fk = store.prepare("PRAGMA foreign_keys");
  ASSERT_TRUE(fk);
  ASSERT_TRUE(*fk->step());
  EXPECT_EQ(fk->column_int(0), 1);
}

TEST(Store, CreatesEveryTableOfTheLatestSchema) {
  TempDir dir;
  Store store = open_rw(dir / "state.db");
  for (const char* table : {"meta", "template_cache", "pins", "pin_status", "crdt_heads",
                            "crdt_frontier", "crdt_processed", "crdt_elements", "crdt_tombstones",
                            "crdt_blocks", "counters"}) {
    auto st =
        store.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    ASSERT_TRUE(st);
    st->bind(1, std::string_view(table));
    ASSERT_TRUE(*st->step());
    EXPECT_EQ(st->column_int(0), 1) << table;
  }
}

TEST(Store, ReopenIsIdempotentAndKeepsData) {
  TempDir dir;
  auto path = dir / "state.db";
  {
    Store store = open_rw(path);
    ASSERT_TRUE(store.set_meta(meta_key::cluster_name, "filecoin"));
  }
  Store again = open_rw(path);
  EXPECT_EQ(*again.schema_version(), supported_schema_version());
  EXPECT_EQ(again.get_meta(meta_key::cluster_name)->value_or(""), "filecoin");
  // Two writers' connections at once are fine too: the second finds nothing to migrate.
  Store third = open_rw(path);
  EXPECT_EQ(*third.schema_version(), supported_schema_version());
}

TEST(Store, ReadOnlyRefusesAMissingFileAndDoesNotCreateIt) {
  TempDir dir;
  auto path = dir / "state.db";
  auto store = Store::open(path, OpenMode::read_only);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error(), errc::not_found);
  EXPECT_EQ(store.error().message(), path.string() + " does not exist");
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(Store, ReadWriteFailsCleanlyWhenTheFolderIsMissing) {
  TempDir dir;
  auto store = Store::open(dir / "missing" / "state.db", OpenMode::read_write);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error(), errc::io_failed);
  EXPECT_NE(store.error().message().find("missing/state.db"), std::string::npos);
}

TEST(Store, ReadOnlyStoreReadsButNeverWrites) {
  TempDir dir;
  auto path = dir / "state.db";
  {
    Store writer = open_rw(path);
    ASSERT_TRUE(writer.set_meta("peer_id", "12D3KooWtest"));
  }
  auto reader = Store::open(path, OpenMode::read_only);
  ASSERT_TRUE(reader) << reader.error().message();
  EXPECT_EQ(reader->mode(), OpenMode::read_only);
  EXPECT_EQ(reader->get_meta("peer_id")->value_or(""), "12D3KooWtest");
  auto write = reader->set_meta("peer_id", "other");
  ASSERT_FALSE(write);
  EXPECT_EQ(write.error(), errc::read_only);
}

TEST(Store, ReaderSeesCommittedDataWhileAWriterHoldsATransaction) {
  TempDir dir;
  auto path = dir / "state.db";
  Store writer = open_rw(path);
  ASSERT_TRUE(writer.set_meta("k", "committed"));
  auto reader = Store::open(path, OpenMode::read_only);
  ASSERT_TRUE(reader) << reader.error().message();

  auto tx = writer.begin_write();
  ASSERT_TRUE(tx) << tx.error().message();
  ASSERT_TRUE(writer.set_meta("k", "pending"));
  // WAL: the reader is not blocked and sees the last committed value.
  EXPECT_EQ(reader->get_meta("k")->value_or(""), "committed");
  ASSERT_TRUE(tx->commit());
  EXPECT_EQ(reader->get_meta("k")->value_or(""), "pending");
}

TEST(Store, SecondWriterGetsBusyInsteadOfWaitingForever) {
  TempDir dir;
  auto path = dir / "state.db";
  Store first = open_rw(path);
  auto second =
      Store::open(path, OpenMode::read_write, {.busy_timeout = std::chrono::milliseconds(0)});
  ASSERT_TRUE(second) << second.error().message();
  auto tx = first.begin_write();
  ASSERT_TRUE(tx);
  auto blocked = second->begin_write();
  ASSERT_FALSE(blocked);
  EXPECT_EQ(blocked.error(), errc::busy);
  EXPECT_NE(blocked.error().message().find("starting a write transaction on " + path.string()),
            std::string::npos)
      << blocked.error().message();
  ASSERT_TRUE(tx->commit());
  EXPECT_TRUE(second->begin_write());
}

TEST(Store, MetaRoundTripAndOverwrite) {
  TempDir dir;
  Store store = open_rw(dir / "state.db");
  EXPECT_FALSE(store.get_meta("absent")->has_value());
  ASSERT_TRUE(store.set_meta(meta_key::created_at, "1700000000"));
  ASSERT_TRUE(store.set_meta(meta_key::created_at, "1700000001"));
  EXPECT_EQ(store.get_meta(meta_key::created_at)->value_or(""), "1700000001");
}

TEST(Store, TemplateCacheRoundTrip) {
  TempDir dir;
  auto path = dir / "state.db";
  const std::string source = "https://filecoin.collab.ipfscluster.io";
  const std::string body = R"({"cluster": {"peername": "follower"}})";
  {
    Store store = open_rw(path);
    EXPECT_FALSE(store.load_template(source)->has_value());
    ASSERT_TRUE(store.save_template(source, "old", 1));
    ASSERT_TRUE(store.save_template(source, body, 1700000000, {.etag = "\"abc\""}));
    ASSERT_TRUE(store.save_template("other", "x", 2));
  }
  auto reader = Store::open(path, OpenMode::read_only);
  ASSERT_TRUE(reader);
  auto cached = reader->load_template(source);
  ASSERT_TRUE(cached);
  ASSERT_TRUE(cached->has_value());
  EXPECT_EQ((*cached)->body, body);
  EXPECT_EQ((*cached)->fetched_at, 1700000000);
  EXPECT_EQ((*cached)->validators.etag, "\"abc\"");
  EXPECT_FALSE((*cached)->validators.last_modified.has_value());
  EXPECT_EQ((*reader->load_template("other"))->body, "x");
}

TEST(Store, StoreStaysUsableAfterMove) {
  TempDir dir;
  Store store = open_rw(dir / "state.db");
  auto st = store.prepare("SELECT 1");
  ASSERT_TRUE(st);
  Store moved = std::move(store);
  // Statements point at the connection, which does not move with the Store object.
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->column_int(0), 1);
  EXPECT_TRUE(moved.set_meta("a", "b"));
}

}  // namespace
}  // namespace cf::store
