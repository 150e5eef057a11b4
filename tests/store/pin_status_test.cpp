#include "cf/store/pin_status.hpp"

#include <gtest/gtest.h>

#include "cf/store/store.hpp"
#include "store/temp_dir.hpp"

namespace cf::store {
namespace {

TEST(PinStatus, NamesRoundTrip) {
  EXPECT_EQ(all_pin_statuses().size(), 13u);
  for (auto status : all_pin_statuses()) EXPECT_EQ(parse_pin_status(to_string(status)), status);
  EXPECT_EQ(to_string(PinStatus::unexpectedly_unpinned), "unexpectedly_unpinned");
  EXPECT_FALSE(parse_pin_status("done").has_value());
  for (auto o : {Ownership::none, Ownership::ours, Ownership::preexisting}) {
    EXPECT_EQ(parse_ownership(to_string(o)), o);
  }
  EXPECT_FALSE(parse_ownership("mine").has_value());
}

// The schema's CHECK constraints and counters accept exactly the names of the enums.
TEST(PinStatus, SchemaAcceptsEveryNameAndCountsIt) {
  testing::TempDir dir;
  auto store = Store::open(dir / "state.db", OpenMode::read_write);
  ASSERT_TRUE(store);
  auto insert = store->prepare(
      "INSERT INTO pin_status (cid, status, ownership, updated_at) VALUES (?1, ?2, ?3, 0)");
  ASSERT_TRUE(insert);
  std::uint8_t n = 0;
  for (auto status : all_pin_statuses()) {
    Bytes cid{n++};
    auto ownership = to_string(static_cast<Ownership>(n % 3));
    EXPECT_TRUE(insert->bind_all(cid, to_string(status), ownership).run()) << to_string(status);
  }
  auto counts = store->prepare("SELECT count(*) FROM counters WHERE name LIKE 'pin_status:%' "
                               "AND value = 1");
  ASSERT_TRUE(counts);
  ASSERT_TRUE(*counts->step());
  EXPECT_EQ(counts->column_int(0), 13);
}

}  // namespace
}  // namespace cf::store
