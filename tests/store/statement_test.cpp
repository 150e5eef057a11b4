#include "cf/store/statement.hpp"

#include <gtest/gtest.h>

#include "cf/store/store.hpp"
#include "store/temp_dir.hpp"

namespace cf::store {
namespace {

class StatementTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Store::open(dir_ / "state.db", OpenMode::read_write);
    ASSERT_TRUE(opened) << opened.error().message();
    store_.emplace(std::move(opened).value());
    ASSERT_TRUE(store_->exec("CREATE TABLE t (i INTEGER, s TEXT, b BLOB)"));
  }

  testing::TempDir dir_;
  std::optional<Store> store_;
};

TEST_F(StatementTest, BindsAndReadsEveryType) {
  auto insert = store_->prepare("INSERT INTO t (i, s, b) VALUES (?1, ?2, ?3)");
  ASSERT_TRUE(insert);
  Bytes blob{0x00, 0xff, 0x10};
  ASSERT_TRUE(insert->bind_all(std::int64_t{-7}, std::string("text\0with nul", 13), blob).run());
  ASSERT_TRUE(insert->bind_all(std::int64_t{1} << 40, std::optional<std::string>{}, Bytes{}).run());
  EXPECT_EQ(store_->changes(), 1);

  auto select = store_->prepare("SELECT i, s, b FROM t ORDER BY rowid");
  ASSERT_TRUE(select);
  ASSERT_TRUE(*select->step());
  EXPECT_EQ(select->column_count(), 3);
  EXPECT_EQ(select->column_int(0), -7);
  EXPECT_EQ(select->column_text(1), std::string("text\0with nul", 13));
  EXPECT_EQ(select->column_blob(2), blob);
  ASSERT_TRUE(*select->step());
  EXPECT_EQ(select->column_int(0), std::int64_t{1} << 40);
  EXPECT_TRUE(select->is_null(1));
  EXPECT_EQ(select->column_optional_text(1), std::nullopt);
  // An empty blob stays an empty blob, not NULL.
  EXPECT_FALSE(select->is_null(2));
  EXPECT_TRUE(select->column_blob(2).empty());
  EXPECT_FALSE(*select->step());
}

TEST_F(StatementTest, ReusesAPreparedStatementAfterReset) {
  auto insert = store_->prepare("INSERT INTO t (i) VALUES (?1)");
  ASSERT_TRUE(insert);
  for (std::int64_t i = 0; i < 3; ++i) ASSERT_TRUE(insert->bind(1, i).run());
  auto sum = store_->prepare("SELECT sum(i) FROM t");
  ASSERT_TRUE(sum);
  ASSERT_TRUE(*sum->step());
  EXPECT_EQ(sum->column_int(0), 3);
  sum->reset();
  ASSERT_TRUE(*sum->step());
  EXPECT_EQ(sum->column_optional_int(0), 3);
}

TEST_F(StatementTest, ABindErrorIsReportedByStep) {
  auto insert = store_->prepare("INSERT INTO t (i) VALUES (?1)");
  ASSERT_TRUE(insert);
  auto result = insert->bind(5, std::int64_t{1}).run();
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message().find("binding ?5 of \"INSERT INTO t (i) VALUES (?1)\""),
            std::string::npos)
      << result.error().message();
  insert->reset();
  EXPECT_TRUE(insert->bind(1, std::int64_t{1}).run());
}

TEST_F(StatementTest, ErrorsNameTheOperationAndSqlitesMessage) {
  auto bad = store_->prepare("SELECT nope FROM t");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), errc::sqlite_failed);
  EXPECT_EQ(bad.error().message(), "preparing \"SELECT nope FROM t\" on " +
                                       (dir_ / "state.db").string() + ": no such column: nope");

  ASSERT_TRUE(store_->exec("CREATE UNIQUE INDEX t_i ON t (i)"));
  auto insert = store_->prepare("INSERT INTO t (i) VALUES (1)");
  ASSERT_TRUE(insert);
  ASSERT_TRUE(insert->run());
  auto dup = insert->run();
  ASSERT_FALSE(dup);
  EXPECT_EQ(dup.error(), errc::constraint_failed);
  EXPECT_NE(dup.error().message().find("UNIQUE constraint failed: t.i"), std::string::npos);
}

TEST_F(StatementTest, RefusesMoreThanOneStatement) {
  auto two = store_->prepare("DELETE FROM t; DROP TABLE t");
  ASSERT_FALSE(two);
  EXPECT_NE(two.error().message().find("expected exactly one SQL statement"), std::string::npos);
  EXPECT_TRUE(store_->prepare("SELECT 1;  \n"));
}

}  // namespace
}  // namespace cf::store
