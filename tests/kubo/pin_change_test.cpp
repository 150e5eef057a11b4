// pin_rm and pin_update against a loopback fake (A4, A5).
#include <gtest/gtest.h>

#include "cf/kubo/client.hpp"
#include "fixtures.hpp"
#include "support/http_test_server.hpp"

namespace cf::kubo {
namespace {

using namespace std::chrono_literals;
using test::cid;
using test::client_for;
using cf::test::HttpRequest;
using cf::test::HttpTestServer;

TEST(KuboPinRm, RemovesAPin) {
  std::string target;
  HttpTestServer server([&](const HttpRequest& req) {
    target = req.target;
    return cf::test::make_reply(200, std::string(R"({"Pins":[")") + test::cid_v1 + R"("]})",
                                "application/json");
  });
  auto r = client_for(server.port()).pin_rm(cid(test::cid_v1), 1s);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->was_pinned);
  EXPECT_EQ(target, std::string("/api/v0/pin/rm?arg=") + test::cid_v1);
}

TEST(KuboPinRm, NotPinnedIsASuccess) {
  HttpTestServer server([](const HttpRequest&) {
    return cf::test::make_reply(
        500, R"({"Message":"not pinned or pinned indirectly","Code":0,"Type":"error"})",
        "application/json");
  });
  auto client = client_for(server.port());
  auto r = client.pin_rm(cid(test::cid_v1), 1s);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_FALSE(r->was_pinned);

  // The same answer to another call is an error the predicate recognises.
  auto u = client.pin_update(cid(test::cid_v0), cid(test::cid_v1), 1s);
  ASSERT_FALSE(u);
  EXPECT_TRUE(is_not_pinned(u.error()));
  EXPECT_FALSE(is_not_pinned(Error(errc::api_error, "not pinned")));
}

TEST(KuboPinRm, OtherFailuresAreErrors) {
  HttpTestServer server([](const HttpRequest&) {
    return cf::test::make_reply(500, R"({"Message":"repo is locked","Code":0,"Type":"error"})",
                                "application/json");
  });
  auto r = client_for(server.port()).pin_rm(cid(test::cid_v1), 1s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::api_error);
  EXPECT_FALSE(is_not_pinned(r.error()));
}

TEST(KuboPinUpdate, TwoArgsAndUnpinFalse) {
  std::string target;
  HttpTestServer server([&](const HttpRequest& req) {
    target = req.target;
    return cf::test::make_reply(
        200, std::string(R"({"Pins":[")") + test::cid_v0 + R"(",")" + test::cid_v1 + R"("]})",
        "application/json");
  });
  auto r = client_for(server.port()).pin_update(cid(test::cid_v0), cid(test::cid_v1), 1s);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(target, std::string("/api/v0/pin/update?arg=") + test::cid_v0 + "&arg=" + test::cid_v1 +
                        "&unpin=false");
}

TEST(KuboPinUpdate, KubosRefusalCarriesItsMessage) {
  HttpTestServer server([](const HttpRequest&) {
    return cf::test::make_reply(
        500, R"({"Message":"'from' cid was not recursively pinned already","Code":0,"Type":"error"})",
        "application/json");
  });
  auto r = client_for(server.port()).pin_update(cid(test::cid_v0), cid(test::cid_v1), 1s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::api_error);
  EXPECT_NE(r.error().message().find("'from' cid was not recursively pinned already"), std::string::npos);
}

TEST(KuboPinRm, TimeoutIsTheCallersOwn) {
  HttpTestServer server([](const HttpRequest&) { return cf::test::HttpReply{.raw = "", .hang = true}; });
  auto r = client_for(server.port(), 10s).pin_rm(cid(test::cid_v1), 150ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::timed_out);
}

}  // namespace
}  // namespace cf::kubo
