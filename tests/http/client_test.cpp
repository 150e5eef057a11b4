#include "cf/http/client.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stop_token>

#include "support/http_test_server.hpp"

namespace cf::http {
namespace {

using namespace std::chrono_literals;
using test::HttpReply;
using test::HttpRequest;
using test::HttpTestServer;

Request get(std::string url) {
  Request r;
  r.url = std::move(url);
  return r;
}

TEST(HttpClient, GetReturnsStatusHeadersAndBody) {
  HttpRequest seen;
  HttpTestServer server([&](const HttpRequest& req) {
    seen = req;
    return test::make_reply(200, "hello", "text/plain", {{"X-Test", "yes"}});
  });
  Client client;
  auto r = client.perform(get(server.url("/path?q=1")));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "hello");
  EXPECT_EQ(r->header("x-test"), "yes");
  EXPECT_TRUE(r->trailers.empty());
  EXPECT_EQ(seen.method, "GET");
  EXPECT_EQ(seen.target, "/path?q=1");
  EXPECT_EQ(seen.header("User-Agent"), default_user_agent());
  EXPECT_TRUE(default_user_agent().starts_with("cluster-follow/"));
}

TEST(HttpClient, PostSendsBodyAndErrorStatusIsAValue) {
  HttpRequest seen;
  HttpTestServer server([&](const HttpRequest& req) {
    seen = req;
    return test::make_reply(500, R"({"Message":"boom","Code":0,"Type":"error"})",
                            "application/json");
  });
  Client client;
  Request req = get(server.url("/api/v0/id"));
  req.method = Method::post;
  req.body = "payload";
  req.headers.push_back({"Content-Type", "application/octet-stream"});
  auto r = client.perform(req);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(seen.method, "POST");
  EXPECT_EQ(seen.body, "payload");
  EXPECT_EQ(seen.header("Content-Type"), "application/octet-stream");
  EXPECT_EQ(seen.header("Expect"), "");
}

TEST(HttpClient, ReusesTheClientForSeveralRequests) {
  HttpTestServer server([](const HttpRequest& req) { return test::make_reply(200, req.target); });
  Client client;
  for (const char* path : {"/a", "/b", "/c"}) {
    auto r = client.perform(get(server.url(path)));
    ASSERT_TRUE(r) << r.error().message();
    EXPECT_EQ(r->body, path);
  }
  EXPECT_EQ(server.request_count(), 3);
}

TEST(HttpClient, TotalTimeout) {
  HttpTestServer server([](const HttpRequest&) { return HttpReply{.raw = "", .hang = true}; });
  Client client;
  Request req = get(server.url("/slow"));
  req.timeout = 200ms;
  auto r = client.perform(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::timed_out);
  EXPECT_NE(r.error().message().find(server.url("/slow")), std::string::npos)
      << r.error().message();
}

TEST(HttpClient, IdleTimeoutCutsASilentTransferWithoutATotalCap) {
  HttpTestServer server([](const HttpRequest&) { return HttpReply{.raw = "", .hang = true}; });
  Client client;
  Request req = get(server.url("/quiet"));
  req.timeout = 0ms;  // no total cap: only the idle limit ends it
  req.idle_timeout = 300ms;
  auto start = std::chrono::steady_clock::now();
  auto r = client.perform(req);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::stalled);
  EXPECT_NE(r.error().message().find("300 ms"), std::string::npos) << r.error().message();
  EXPECT_GE(took, 300ms);
  EXPECT_LT(took, 3s);  // curl looks about once a second while idle

  // A reply that starts within the idle limit goes through.
  HttpTestServer slow([](const HttpRequest&) {
    auto reply = test::make_reply(200, "done");
    reply.delay = 100ms;
    return reply;
  });
  req.url = slow.url("/ok");
  auto fine = client.perform(req);
  ASSERT_TRUE(fine) << fine.error().message();
  EXPECT_EQ(fine->body, "done");
}

TEST(HttpClient, ConnectionRefused) {
  test::ClosedPort closed;
  Client client;
  auto url = "http://127.0.0.1:" + std::to_string(closed.port()) + "/x";
  auto r = client.perform(get(url));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::connect_failed);
  EXPECT_NE(r.error().message().find("GET " + url), std::string::npos) << r.error().message();
}

TEST(HttpClient, ChunkedTrailersAreSeparateFromHeaders) {
  HttpTestServer server([](const HttpRequest&) {
    return test::make_chunked_reply(200, {"{\"a\":1}\n", "{\"b\":2}\n"},
                                    {{"X-Stream-Error", "context canceled"}});
  });
  Client client;
  auto r = client.perform(get(server.url("/stream")));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "{\"a\":1}\n{\"b\":2}\n");
  EXPECT_EQ(r->trailer("X-Stream-Error"), "context canceled");
  EXPECT_EQ(r->header("X-Stream-Error"), std::nullopt);
  EXPECT_EQ(r->header("Trailer"), "X-Stream-Error");
}

TEST(HttpClient, BodyCapWithContentLength) {
  HttpTestServer server([](const HttpRequest&) { return test::make_reply(200, std::string(1000, 'x')); });
  Client client;
  Request req = get(server.url("/big"));
  req.max_body = 100;
  auto r = client.perform(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::too_large);
  EXPECT_NE(r.error().message().find("100 bytes"), std::string::npos) << r.error().message();
}

TEST(HttpClient, BodyCapWhenChunked) {
  HttpTestServer server([](const HttpRequest&) {
    return test::make_chunked_reply(200, {std::string(80, 'x'), std::string(80, 'y')}, {});
  });
  Client client;
  Request req = get(server.url("/big"));
  req.max_body = 100;
  auto r = client.perform(req);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::too_large);
  req.max_body = 160;  // exactly the size is fine
  EXPECT_TRUE(client.perform(req));
}

TEST(HttpClient, UnixSocket) {
  auto path = std::filesystem::temp_directory_path() /
              ("cf-http-test-" + std::to_string(::getpid()) + ".sock");
  HttpRequest seen;
  HttpTestServer server(path.string(), [&](const HttpRequest& req) {
    seen = req;
    return test::make_reply(200, "via unix");
  });
  Client client;
  Request req = get("http://localhost/api/v0/version");
  req.method = Method::post;
  req.unix_socket = path.string();
  auto r = client.perform(req);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->body, "via unix");
  EXPECT_EQ(seen.target, "/api/v0/version");
}

TEST(HttpClient, GetFollowsBoundedRedirectsPostDoesNot) {
  HttpTestServer server([](const HttpRequest& req) {
    if (req.target == "/loop") return test::make_reply(302, "", "text/plain", {{"Location", "/loop"}});
    if (req.target == "/old") return test::make_reply(301, "", "text/plain", {{"Location", "/new"}});
    return test::make_reply(200, "new place");
  });
  Client client;
  auto r = client.perform(get(server.url("/old")));
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "new place");
  EXPECT_EQ(r->effective_url, server.url("/new"));

  Request loop = get(server.url("/loop"));
  loop.max_redirects = 3;
  auto looped = client.perform(loop);
  ASSERT_FALSE(looped);
  EXPECT_EQ(looped.error(), errc::too_many_redirects);

  Request post = get(server.url("/old"));
  post.method = Method::post;
  auto p = client.perform(post);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->status, 301);
}

// An https server (python3's ssl module, a throwaway self-signed certificate that the request
// trusts through ca_file) that redirects /to-http to `location`, /to-https to its own /final.
class TlsRedirectServer {
 public:
  explicit TlsRedirectServer(const std::string& location) {
    dir_ = std::filesystem::path(::testing::TempDir()) / ("cf-tls-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    const auto script = dir_ / "server.py";
    std::ofstream(script) << R"(import http.server, os, ssl, sys
cert, key, location = sys.argv[1:4]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/final":
            self.send_response(200); self.send_header("Content-Length", "6"); self.end_headers()
            self.wfile.write(b"secure"); return
        self.send_response(302)
        self.send_header("Location", location if self.path == "/to-http" else "/final")
        self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(os.getpid(), server.server_address[1], flush=True)
server.serve_forever()
)";
    const auto cert = (dir_ / "cert.pem").string();
    const auto key = (dir_ / "key.pem").string();
    const auto made = std::system(("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
                                   "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout " + key + " -out " +
                                   cert + " >/dev/null 2>&1").c_str());
    if (made != 0) return;
    pipe_ = ::popen(("python3 " + script.string() + " " + cert + " " + key + " " + location).c_str(), "r");
    if (pipe_ == nullptr || std::fscanf(pipe_, "%d %d", &pid_, &port_) != 2) pid_ = 0;
    ca_file_ = cert;
  }
  ~TlsRedirectServer() {
    if (pid_ > 0) ::kill(pid_, SIGTERM);
    if (pipe_ != nullptr) ::pclose(pipe_);
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  TlsRedirectServer(const TlsRedirectServer&) = delete;
  TlsRedirectServer& operator=(const TlsRedirectServer&) = delete;

  bool running() const { return pid_ > 0; }
  Request get(const std::string& path) const {
    Request r;
    r.url = "https://127.0.0.1:" + std::to_string(port_) + path;
    r.ca_file = ca_file_;
    return r;
  }

 private:
  std::filesystem::path dir_;
  std::string ca_file_;
  FILE* pipe_ = nullptr;
  int pid_ = 0;
  int port_ = 0;
};

TEST(HttpClient, HttpsNeverFollowsARedirectToHttp) {
  HttpTestServer plain([](const HttpRequest&) { return test::make_reply(200, "downgraded"); });
  TlsRedirectServer tls(plain.url("/"));
  if (!tls.running()) GTEST_SKIP() << "needs openssl and python3 to run an https server";
  Client client;
  auto secure = client.perform(tls.get("/to-https"));
  ASSERT_TRUE(secure) << secure.error().message();
  EXPECT_EQ(secure->body, "secure");

  auto downgraded = client.perform(tls.get("/to-http"));
  ASSERT_FALSE(downgraded) << "followed to http: " << downgraded->body;
  EXPECT_EQ(downgraded.error(), errc::invalid_request);
  EXPECT_NE(downgraded.error().message().find("refused to follow a redirect from https to"), std::string::npos)
      << downgraded.error().message();
}

TEST(HttpClient, CheckUrlRefusesUnusableUrlsAndSpotsCredentials) {
  for (const char* bad : {"http://", "http://[::1", "https://:80/x", "http://host:99999/", "ftp://host/x", "no-scheme"}) {
    auto check = check_url(bad);
    EXPECT_FALSE(check.valid) << bad;
    EXPECT_FALSE(check.problem.empty()) << bad;
  }
  for (const char* good : {"http://127.0.0.1:8080/ipns/x", "https://[::1]:9094/", "HTTPS://example.org/a?b=1"}) {
    auto check = check_url(good);
    EXPECT_TRUE(check.valid) << good << ": " << check.problem;
    EXPECT_FALSE(check.has_credentials) << good;
  }
  EXPECT_TRUE(check_url("http://user:secret@example.org/t.json").has_credentials);
  EXPECT_TRUE(check_url("https://user@example.org/").has_credentials);
  EXPECT_TRUE(check_url("http://user:secret@/").has_credentials);  // unusable and still spotted
}

TEST(HttpClient, StreamDeliversChunksAndCanStop) {
  HttpTestServer server([](const HttpRequest&) {
    return test::make_chunked_reply(200, {"one\n", "two\n", "three\n"}, {{"X-Stream-Error", ""}});
  });
  Client client;
  std::string got;
  long status_seen = 0;
  auto r = client.stream(get(server.url("/s")), [&](const Response& head, std::string_view c) {
    status_seen = head.status;
    got += c;
    return true;
  });
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(got, "one\ntwo\nthree\n");
  EXPECT_EQ(status_seen, 200);
  EXPECT_TRUE(r->body.empty());
  EXPECT_EQ(r->trailer("X-Stream-Error"), "");

  auto stopped = client.stream(get(server.url("/s")), [](const Response&, std::string_view) {
    return false;
  });
  ASSERT_FALSE(stopped);
  EXPECT_EQ(stopped.error(), errc::aborted);
}

// Shutdown must never wait for a request's own timeout (issue 11): a stream that never ends is
// cut within about a second of the stop request, with a distinct error.
TEST(HttpClient, CancelCutsAnEndlessStreamWithinASecond) {
  HttpTestServer server([](const HttpRequest&) { return test::make_endless_reply("{\"cid\":\"x\"}\n"); });
  std::stop_source stop;
  Client client(ClientOptions{.cancel = stop.get_token()});
  Request req = get(server.url("/forever"));
  req.timeout = 3600s;  // as the REST source: only the cancel may end it
  req.max_body = 0;
  std::size_t chunks = 0;
  std::chrono::steady_clock::time_point asked;
  auto r = client.stream(req, [&](const Response&, std::string_view) {
    if (++chunks == 3) {
      stop.request_stop();  // as the daemon does on SIGTERM, from another thread
      asked = std::chrono::steady_clock::now();
    }
    return true;
  });
  auto took = std::chrono::steady_clock::now() - asked;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::cancelled) << r.error().message();
  EXPECT_GE(chunks, 3u);
  EXPECT_LT(took, 1s);
}

TEST(HttpClient, CancelCutsASilentTransferWithinASecond) {
  std::stop_source stop;
  std::chrono::steady_clock::time_point asked;
  // The server asks for the stop once it holds the request, then never answers.
  HttpTestServer server([&](const HttpRequest&) {
    asked = std::chrono::steady_clock::now();
    stop.request_stop();
    return HttpReply{.raw = "", .hang = true};
  });
  Client client(ClientOptions{.cancel = stop.get_token()});
  Request req = get(server.url("/silent"));
  req.timeout = 3600s;
  auto r = client.perform(req);
  auto took = std::chrono::steady_clock::now() - asked;
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::cancelled) << r.error().message();
  EXPECT_LT(took, 1500ms);  // curl looks about once a second while idle
  // Once stopped, nothing more goes out.
  auto again = client.perform(get(server.url("/again")));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), errc::cancelled);
  EXPECT_EQ(server.request_count(), 1);
}

TEST(HttpClient, BasicAndBearerAuth) {
  std::string auth;
  HttpTestServer server([&](const HttpRequest& req) {
    auth = req.header("Authorization");
    return test::make_reply(200, "");
  });
  Client client;
  Request req = get(server.url("/"));
  req.auth = BasicAuth{"u", "p"};
  ASSERT_TRUE(client.perform(req));
  EXPECT_EQ(auth, "Basic dTpw");
  req.auth = BearerAuth{"tok"};
  ASSERT_TRUE(client.perform(req));
  EXPECT_EQ(auth, "Bearer tok");
  req.auth = {};
  ASSERT_TRUE(client.perform(req));
  EXPECT_EQ(auth, "");
}

TEST(HttpClient, RefusesKuboUserAgentsAndBadUrls) {
  Client kubo_ua(ClientOptions{.user_agent = "something/kubo/0.30"});
  auto r = kubo_ua.perform(get("http://127.0.0.1:1/"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::invalid_request);

  Client client;
  EXPECT_EQ(client.perform(get("ftp://127.0.0.1/x")).error(), errc::invalid_request);
  EXPECT_EQ(client.perform(get("127.0.0.1:8080/ipns/x")).error(), errc::invalid_request);
}

TEST(HttpClient, LoopbackIgnoresProxyEnvironment) {
  test::ClosedPort proxy;
  auto proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
  ::setenv("http_proxy", proxy_url.c_str(), 1);
  HttpTestServer server([](const HttpRequest&) { return test::make_reply(200, "direct"); });
  Client client;
  auto r = client.perform(get(server.url("/")));
  ::unsetenv("http_proxy");
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->body, "direct");
}

}  // namespace
}  // namespace cf::http
