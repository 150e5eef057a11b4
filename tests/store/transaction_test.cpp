#include "cf/store/transaction.hpp"

#include <gtest/gtest.h>

#include "cf/store/store.hpp"
#include "store/temp_dir.hpp"

namespace cf::store {
namespace {

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Store::open(dir_ / "state.db", OpenMode::read_write);
    ASSERT_TRUE(opened) << opened.error().message();
    store_.emplace(std::move(opened).value());
  }

  std::string meta(const std::string& key) { return store_->get_meta(key)->value_or("<none>"); }

  testing::TempDir dir_;
  std::optional<Store> store_;
};

TEST_F(TransactionTest, CommitKeepsChanges) {
  auto tx = store_->begin_write();
  ASSERT_TRUE(tx) << tx.error().message();
  ASSERT_TRUE(store_->set_meta("a", "1"));
  ASSERT_TRUE(store_->set_meta("b", "2"));
  EXPECT_TRUE(tx->active());
  ASSERT_TRUE(tx->commit());
  EXPECT_FALSE(tx->active());
  EXPECT_EQ(meta("a"), "1");
  EXPECT_EQ(meta("b"), "2");
}

TEST_F(TransactionTest, DestructionWithoutCommitRollsBack) {
  auto failing_work = [&]() -> Status {
    CF_TRY_ASSIGN(tx, store_->begin_write());
    CF_TRY(store_->set_meta("a", "1"));
    CF_TRY(store_->exec("INSERT INTO nowhere VALUES (1)"));  // fails: tx is rolled back
    return tx.commit();
  };
  EXPECT_FALSE(failing_work());
  EXPECT_EQ(meta("a"), "<none>");
  // The connection is usable again: no transaction is left open.
  EXPECT_TRUE(store_->begin_write());
}

TEST_F(TransactionTest, ExplicitRollbackAndMove) {
  auto tx = store_->begin_write();
  ASSERT_TRUE(tx);
  ASSERT_TRUE(store_->set_meta("a", "1"));
  Transaction moved = std::move(*tx);
  EXPECT_FALSE(tx->active());
  EXPECT_TRUE(moved.active());
  ASSERT_TRUE(moved.rollback());
  EXPECT_EQ(meta("a"), "<none>");
  EXPECT_FALSE(moved.commit());
}

TEST_F(TransactionTest, TransactionsDoNotNest) {
  auto outer = store_->begin_write();
  ASSERT_TRUE(outer);
  auto inner = store_->begin_write();
  ASSERT_FALSE(inner);
  EXPECT_NE(inner.error().message().find("within a transaction"), std::string::npos);
  EXPECT_TRUE(outer->commit());
}

TEST_F(TransactionTest, ReadTransactionIsASnapshot) {
  ASSERT_TRUE(store_->set_meta("a", "old"));
  auto reader = Store::open(dir_ / "state.db", OpenMode::read_only);
  ASSERT_TRUE(reader);
  auto snapshot = reader->begin_read();
  ASSERT_TRUE(snapshot);
  EXPECT_EQ(reader->get_meta("a")->value_or(""), "old");
  ASSERT_TRUE(store_->set_meta("a", "new"));
  EXPECT_EQ(reader->get_meta("a")->value_or(""), "old");  // same snapshot until it ends
  ASSERT_TRUE(snapshot->commit());
  EXPECT_EQ(reader->get_meta("a")->value_or(""), "new");
}

}  // namespace
}  // namespace cf::store
