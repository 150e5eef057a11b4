// The private NDJSON line splitter of the kubo layer.
#include "ndjson.hpp"

#include <gtest/gtest.h>

#include "cf/base/errc.hpp"

namespace cf::kubo::detail {
namespace {

struct Collector {
  std::vector<std::string> lines;
  LineSplitter::LineHandler handler() {
    return [this](std::string_view l) -> Status {
      lines.emplace_back(l);
      return ok();
    };
  }
};

TEST(KuboNdjson, SplitsAcrossChunksAndDropsCarriageReturns) {
  LineSplitter s;
  Collector c;
  for (std::string_view chunk : {"{\"a\":1}\n{\"b\"", ":2}\r\n", "\n", "{\"c\":3}"}) {
    ASSERT_TRUE(s.feed(chunk, c.handler()));
  }
  EXPECT_EQ(c.lines, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", ""}));
  ASSERT_TRUE(s.finish(c.handler()));
  EXPECT_EQ(c.lines.back(), "{\"c\":3}");
  ASSERT_TRUE(s.finish(c.handler()));  // nothing left
  EXPECT_EQ(c.lines.size(), 4u);
}

TEST(KuboNdjson, BoundsLineLength) {
  Collector c;
  LineSplitter whole(8);
  auto r = whole.feed("123456789\n", c.handler());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), cf::errc::invalid_input);
  EXPECT_NE(r.error().message().find("longer than 8 bytes"), std::string::npos);

  LineSplitter pieces(8);
  ASSERT_TRUE(pieces.feed("12345", c.handler()));
  EXPECT_FALSE(pieces.feed("6789", c.handler()));  // no newline yet, but already too long

  LineSplitter exact(8);
  ASSERT_TRUE(exact.feed("1234", c.handler()));
  ASSERT_TRUE(exact.feed("5678\n", c.handler()));
  EXPECT_EQ(c.lines, (std::vector<std::string>{"12345678"}));
}

TEST(KuboNdjson, TheHandlersErrorStopsTheSplit) {
  LineSplitter s;
  int calls = 0;
  auto r = s.feed("a\nb\nc\n", [&](std::string_view l) -> Status {
    ++calls;
    if (l == "b") return Error(cf::errc::invalid_input, "bad b");
    return ok();
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "bad b");
  EXPECT_EQ(calls, 2);
}

}  // namespace
}  // namespace cf::kubo::detail
