// pin_ls and pin_ls_one against a loopback fake, with the wire shapes of Kubo v0.42.0 (A4).
#include <gtest/gtest.h>

#include "cf/kubo/client.hpp"
#include "fixtures.hpp"
#include "support/http_test_server.hpp"

namespace cf::kubo {
namespace {

using test::cid;
using test::client_for;
using cf::test::HttpRequest;
using cf::test::HttpTestServer;

std::string line(const char* c, const char* type, const char* name = nullptr) {
  std::string s = std::string("{\"Cid\":\"") + c + "\",\"Type\":\"" + type + "\"";
  if (name != nullptr) s += std::string(",\"Name\":\"") + name + "\"";
  return s + "}\n";
}

TEST(KuboPinLs, ListsRecursiveAndDirectPinsWithNames) {
  std::vector<std::string> targets;
  HttpTestServer server([&](const HttpRequest& req) {
    targets.push_back(req.target);
    if (req.target.find("type=direct") != std::string::npos) {
      return cf::test::make_chunked_reply(200, {line(test::cid_v1_raw, "direct")}, {{"X-Stream-Error", ""}});
    }
    return cf::test::make_chunked_reply(
        200, {line(test::cid_v0, "recursive", "cluster-follow/c1") + line(test::cid_v1, "recursive")},
        {{"X-Stream-Error", ""}});
  });
  auto client = client_for(server.port());
  std::vector<PinEntry> seen;
  auto collect = [&](const PinEntry& e) { seen.push_back(e); };
  auto recursive = client.pin_ls(PinLsType::recursive, collect);
  ASSERT_TRUE(recursive) << recursive.error().message();
  EXPECT_EQ(*recursive, 2u);
  auto direct = client.pin_ls(PinLsType::direct, collect);
  ASSERT_TRUE(direct) << direct.error().message();
  EXPECT_EQ(*direct, 1u);
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].cid, cid(test::cid_v0));
  EXPECT_EQ(seen[0].type, PinType::recursive);
  EXPECT_EQ(seen[0].name, "cluster-follow/c1");
  EXPECT_EQ(seen[1].cid, cid(test::cid_v1));
  EXPECT_EQ(seen[1].name, "");
  EXPECT_EQ(seen[2].cid, cid(test::cid_v1_raw));
  EXPECT_EQ(seen[2].type, PinType::direct);
  EXPECT_EQ(targets, (std::vector<std::string>{
                         "/api/v0/pin/ls?stream=true&type=recursive&names=true",
                         "/api/v0/pin/ls?stream=true&type=direct&names=true"}));
}

TEST(KuboPinLs, TrailerErrorFailsTheListing) {
  HttpTestServer server([](const HttpRequest&) {
    return cf::test::make_chunked_reply(200, {line(test::cid_v0, "recursive")},
                                        {{"X-Stream-Error", "context deadline exceeded"}});
  });
  int delivered = 0;
  auto r = client_for(server.port()).pin_ls(PinLsType::all, [&](const PinEntry&) { ++delivered; });
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::stream_error);
  EXPECT_NE(r.error().message().find("context deadline exceeded"), std::string::npos);
  EXPECT_EQ(delivered, 1);  // what came before the error was seen, but the listing failed
}

TEST(KuboPinLs, MalformedLinesFailTheListing) {
  for (std::string bad : {std::string("{\"Cid\":\"nope\",\"Type\":\"recursive\"}\n"),
                          line(test::cid_v0, "sideways"), std::string("{\"Type\":\"direct\"}\n"),
                          std::string("garbage\n")}) {
    HttpTestServer server([&](const HttpRequest&) {
      return cf::test::make_chunked_reply(200, {line(test::cid_v1, "recursive") + bad}, {});
    });
    auto r = client_for(server.port()).pin_ls(PinLsType::recursive, nullptr);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error(), errc::bad_response) << bad;
  }
}

TEST(KuboPinLs, AMalformedLastLineWithoutNewlineFailsToo) {
  HttpTestServer server([](const HttpRequest&) {
    return cf::test::make_chunked_reply(200, {line(test::cid_v0, "recursive") + "{\"Cid\":"}, {});
  });
  auto r = client_for(server.port()).pin_ls(PinLsType::all, nullptr);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::bad_response);
  EXPECT_NE(r.error().message().find("/api/v0/pin/ls: not a JSON object"), std::string::npos)
      << r.error().message();
}

TEST(KuboPinLs, ADeeplyNestedLineIsRefused) {
  HttpTestServer server([](const HttpRequest&) {
    return cf::test::make_chunked_reply(
        200, {line(test::cid_v0, "recursive") + "{\"Cid\":" + std::string(300'000, '[') + std::string(300'000, ']') + "}\n"},
        {});
  });
  auto r = client_for(server.port()).pin_ls(PinLsType::all, nullptr);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::bad_response);
  EXPECT_NE(r.error().message().find("JSON nested deeper than 128 levels"), std::string::npos)
      << r.error().message().substr(0, 300);
}

TEST(KuboPinLs, AllIncludesIndirectAndALastLineWithoutNewline) {
  HttpTestServer server([](const HttpRequest&) {
    auto last = line(test::cid_v1_raw, "indirect");
    last.pop_back();
    return cf::test::make_chunked_reply(200, {line(test::cid_v0, "recursive") + "\n" + last}, {});
  });
  std::vector<PinType> types;
  auto r = client_for(server.port()).pin_ls(PinLsType::all, [&](const PinEntry& e) { types.push_back(e.type); });
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(types, (std::vector<PinType>{PinType::recursive, PinType::indirect}));
}

TEST(KuboPinLsOne, NotPinnedIsNullopt) {
  std::string target;
  HttpTestServer server([&](const HttpRequest& req) {
    target = req.target;
    return cf::test::make_reply(
        500, std::string(R"({"Message":"path ')") + test::cid_v1 + R"(' is not pinned","Code":0,"Type":"error"})",
        "application/json");
  });
  auto r = client_for(server.port()).pin_ls_one(cid(test::cid_v1));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_FALSE(r->has_value());
  EXPECT_EQ(target, std::string("/api/v0/pin/ls?arg=") + test::cid_v1 + "&type=all&names=true");
}

TEST(KuboPinLsOne, IndirectThroughItsParent) {
  HttpTestServer server([](const HttpRequest&) {
    return cf::test::make_reply(200,
                                std::string(R"({"Keys":{")") + test::cid_v1_raw +
                                    R"(":{"Type":"indirect through )" + test::cid_v1 + R"(","Name":""}}})",
                                "application/json");
  });
  auto r = client_for(server.port()).pin_ls_one(cid(test::cid_v1_raw));
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->type, PinType::indirect);
  ASSERT_TRUE((*r)->through.has_value());
  EXPECT_EQ(*(*r)->through, cid(test::cid_v1));
  EXPECT_EQ((*r)->type_text, std::string("indirect through ") + test::cid_v1);
}

TEST(KuboPinLsOne, KeysAreMatchedAsCidsNotStrings) {
  // Asked with a v0 CID, answered with its v1 form (what Kubo does with a base32 cid-base).
  auto v0 = cid(test::cid_v0);
  HttpTestServer server([&](const HttpRequest&) {
    return cf::test::make_reply(
        200, R"({"Keys":{")" + v0.to_v1().to_string() + R"(":{"Type":"direct","Name":"mine"}}})",
        "application/json");
  });
  auto r = client_for(server.port()).pin_ls_one(v0);
  ASSERT_TRUE(r) << r.error().message();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->type, PinType::direct);
  EXPECT_EQ((*r)->name, "mine");
  EXPECT_FALSE((*r)->through.has_value());
}

TEST(KuboPinLsOne, OtherErrorsStayErrors) {
  HttpTestServer server([](const HttpRequest&) {
    return cf::test::make_reply(200, R"({"Keys":{}})", "application/json");
  });
  EXPECT_EQ(client_for(server.port()).pin_ls_one(cid(test::cid_v1)).error(), errc::bad_response);
  HttpTestServer failing([](const HttpRequest&) {
    return cf::test::make_reply(500, R"({"Message":"blockstore: closed","Code":0,"Type":"error"})",
                                "application/json");
  });
  EXPECT_EQ(client_for(failing.port()).pin_ls_one(cid(test::cid_v1)).error(), errc::api_error);
}

}  // namespace
}  // namespace cf::kubo
