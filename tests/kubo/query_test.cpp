// Query strings of the kubo layer (private helpers).
#include "query.hpp"

#include <gtest/gtest.h>

namespace cf::kubo::detail {
namespace {

TEST(KuboQuery, EscapesEverythingButUnreserved) {
  EXPECT_EQ(query_escape("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(query_escape("a b&c=d/e+f?g#h%"), "a%20b%26c%3Dd%2Fe%2Bf%3Fg%23h%25");
  EXPECT_EQ(query_escape("\xc3\xa9"), "%C3%A9");
  EXPECT_EQ(Query().add("arg", "x y").add("arg", "z").add("unpin", false).str(),
            "arg=x%20y&arg=z&unpin=false");
}

TEST(KuboQuery, TruncatesAtACharacterBoundary) {
  EXPECT_EQ(truncate_utf8("abc", 5), "abc");
  EXPECT_EQ(truncate_utf8("abcdef", 3), "abc");
  EXPECT_EQ(truncate_utf8("ab\xc3\xa9", 3), "ab");           // é would be cut in half
  EXPECT_EQ(truncate_utf8("a\xe2\x82\xac" "b", 3), "a");     // so would €
  EXPECT_EQ(truncate_utf8("a\xe2\x82\xac" "b", 4), "a\xe2\x82\xac");
}

}  // namespace
}  // namespace cf::kubo::detail
