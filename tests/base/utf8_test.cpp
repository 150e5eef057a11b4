#include "cf/base/utf8.hpp"

#include <gtest/gtest.h>

namespace cf {
namespace {

bool valid(std::initializer_list<std::uint8_t> bytes) {
  const Bytes b(bytes);
  return is_valid_utf8(ByteView(b));
}

TEST(Utf8, AcceptsEveryWellFormedLength) {
  EXPECT_TRUE(is_valid_utf8(std::string_view("")));
  EXPECT_TRUE(is_valid_utf8(std::string_view("plain ascii /CIQ")));
  EXPECT_TRUE(valid({0xc3, 0xa9}));              // é
  EXPECT_TRUE(valid({0xe2, 0x82, 0xac}));        // €
  EXPECT_TRUE(valid({0xf0, 0x9f, 0x98, 0x80}));  // U+1F600
  EXPECT_TRUE(valid({0xf4, 0x8f, 0xbf, 0xbf}));  // U+10FFFF, the largest code point
  EXPECT_TRUE(valid({0xed, 0x9f, 0xbf}));        // U+D7FF, just below the surrogates
  EXPECT_TRUE(valid({0x00}));                    // NUL is a valid code point
}

TEST(Utf8, RejectsWhatGoRejects) {
  EXPECT_FALSE(valid({0x80}));                    // continuation byte without a lead
  EXPECT_FALSE(valid({0xc0, 0xaf}));              // overlong '/'
  EXPECT_FALSE(valid({0xc1, 0xbf}));              // overlong
  EXPECT_FALSE(valid({0xe0, 0x80, 0xaf}));        // overlong 3-byte form
  EXPECT_FALSE(valid({0xf0, 0x80, 0x80, 0xaf}));  // overlong 4-byte form
  EXPECT_FALSE(valid({0xed, 0xa0, 0x80}));        // U+D800, a surrogate
  EXPECT_FALSE(valid({0xf4, 0x90, 0x80, 0x80}));  // U+110000
  EXPECT_FALSE(valid({0xf5, 0x80, 0x80, 0x80}));
  EXPECT_FALSE(valid({0xff}));
  EXPECT_FALSE(valid({0xc3}));                    // truncated
  EXPECT_FALSE(valid({0xe2, 0x82}));              // truncated
  EXPECT_FALSE(valid({0xe2, 0x28, 0xa1}));        // bad continuation
  EXPECT_FALSE(valid({0x61, 0xf0, 0x9f, 0x98}));  // truncated at the end of the text
}

}  // namespace
}  // namespace cf
