#include "cf/base/bytes.hpp"

#include <gtest/gtest.h>

namespace cf {
namespace {

TEST(Bytes, HexIsLowerCase) {
  Bytes b{0x00, 0x7f, 0xab, 0xff};
  EXPECT_EQ(to_hex(b), "007fabff");
  EXPECT_EQ(to_hex(as_bytes("")), "");
}

}  // namespace
}  // namespace cf
