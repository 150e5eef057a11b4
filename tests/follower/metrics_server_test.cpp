// The metrics server on real loopback sockets: the server runs on its own io_context thread,
// the test talks to it with a plain blocking POSIX client whose reads time out.
#include "cf/follower/metrics_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <thread>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <gtest/gtest.h>

#include "cf/base/errc.hpp"

namespace cf::follower {
namespace {

using namespace std::chrono_literals;

// One blocking TCP connection to 127.0.0.1:port.
class Client {
 public:
  explicit Client(std::uint16_t port, std::chrono::milliseconds read_timeout = 3s) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    timeval tv{static_cast<time_t>(read_timeout.count() / 1000),
               static_cast<suseconds_t>(read_timeout.count() % 1000 * 1000)};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~Client() { close(); }
  void close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool connected() const { return connected_; }
  bool send(std::string_view data) {
    return ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(data.size());
  }
  // Reads until the server closes (closed = true) or the read timeout passes (closed = false).
  struct Reply {
    std::string data;
    bool closed = false;
  };
  Reply read_all() {
    Reply reply;
    char buffer[8192];
    for (;;) {
      auto n = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (n > 0) {
        reply.data.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      reply.closed = n == 0 || errno == ECONNRESET;
      return reply;
    }
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

// A server on 127.0.0.1:0 running on its own thread until the fixture ends.
class ServerFixture : public ::testing::Test {
 protected:
  void start(MetricsServerOptions options = {}) {
    auto bound = MetricsServer::bind(io_.get_executor(), *parse_listen_address("127.0.0.1:0"), metrics_,
                                     [this] {
                                       std::lock_guard lock(health_mutex_);
                                       return health_;
                                     },
                                     options);
    ASSERT_TRUE(bound) << bound.error().message();
    server_ = std::move(*bound);
    port_ = server_->local_endpoint().port();
    asio::co_spawn(io_, server_->run(), [this](std::exception_ptr e) { run_ended_ = !e; });
    thread_ = std::thread([this] { io_.run(); });
  }
  void stop_and_join() {
    if (!thread_.joinable()) return;
    asio::post(io_, [this] { server_->stop(); });
    thread_.join();  // io.run() returns once run() and every connection have finished
  }
  void TearDown() override { stop_and_join(); }
  void set_health(Health h) {
    std::lock_guard lock(health_mutex_);
    health_ = std::move(h);
  }
  Client::Reply request(std::string_view text) {
    Client client(port_);
    EXPECT_TRUE(client.connected());
    EXPECT_TRUE(client.send(text));
    return client.read_all();
  }

  asio::io_context io_;
  Metrics metrics_{[] { return std::int64_t{1000}; }};
  std::mutex health_mutex_;
  Health health_;
  std::unique_ptr<MetricsServer> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> run_ended_{false};
};

TEST_F(ServerFixture, MetricsAnswersInTheExpositionFormat) {
  start();
  metrics_.set_pins_in_flight(3);
  auto reply = request("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: */*\r\n\r\n");
  ASSERT_TRUE(reply.closed) << "one request per connection";
  EXPECT_TRUE(reply.data.starts_with("HTTP/1.1 200 OK\r\n")) << reply.data;
  EXPECT_NE(reply.data.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(reply.data.find("Connection: close\r\n"), std::string::npos);
  auto body = reply.data.substr(reply.data.find("\r\n\r\n") + 4);
  EXPECT_NE(reply.data.find("Content-Length: " + std::to_string(body.size()) + "\r\n"), std::string::npos);
  EXPECT_EQ(body, metrics_.render_prometheus());
  EXPECT_NE(body.find("cluster_follow_pins_in_flight 3\n"), std::string::npos);
}

TEST_F(ServerFixture, HealthFollowsTheCallback) {
  start();
  auto ok = request("GET /health HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(ok.data.starts_with("HTTP/1.1 200 OK\r\n")) << ok.data;
  EXPECT_TRUE(ok.data.ends_with("\r\n\r\nok\n"));
  set_health({false, "Kubo unreachable at /ip4/127.0.0.1/tcp/5001"});
  auto down = request("GET /health HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(down.data.starts_with("HTTP/1.1 503 Service Unavailable\r\n")) << down.data;
  EXPECT_TRUE(down.data.ends_with("\r\n\r\nKubo unreachable at /ip4/127.0.0.1/tcp/5001\n"));
}

TEST_F(ServerFixture, UnknownPathsAndMethodsAreRefused) {
  start();
  EXPECT_TRUE(request("GET /nope HTTP/1.1\r\n\r\n").data.starts_with("HTTP/1.1 404 Not Found\r\n"));
  auto post = request("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(post.data.starts_with("HTTP/1.1 405 Method Not Allowed\r\n")) << post.data;
  EXPECT_NE(post.data.find("Allow: GET, HEAD\r\n"), std::string::npos);
  EXPECT_TRUE(request("garbage\r\n\r\n").data.starts_with("HTTP/1.1 400 Bad Request\r\n"));
  auto head = request("HEAD /metrics HTTP/1.1\r\n\r\n");
  EXPECT_TRUE(head.data.starts_with("HTTP/1.1 200 OK\r\n"));
  EXPECT_TRUE(head.data.ends_with("\r\n\r\n")) << "HEAD has no body";
  EXPECT_TRUE(request("GET /metrics?name[]=x HTTP/1.0\r\n\r\n").data.starts_with("HTTP/1.1 200 OK\r\n"));
}

TEST_F(ServerFixture, OversizedRequestGets431) {
  start();
  std::string huge = "GET /metrics HTTP/1.1\r\nX-Filler: " + std::string(9000, 'a') + "\r\n\r\n";
  auto reply = request(huge);
  EXPECT_TRUE(reply.closed);
  EXPECT_TRUE(reply.data.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n")) << reply.data.substr(0, 80);
}

TEST_F(ServerFixture, SlowClientIsClosedAfterTheTimeout) {
  MetricsServerOptions options;
  options.request_timeout = 200ms;
  start(options);
  Client slow(port_);
  ASSERT_TRUE(slow.send("GET /metrics HTTP/1.1\r\nX-Slow: "));  // and never finishes
  auto begin = std::chrono::steady_clock::now();
  auto reply = slow.read_all();
  auto waited = std::chrono::steady_clock::now() - begin;
  EXPECT_TRUE(reply.closed) << "still open after the client's 3 s read timeout";
  EXPECT_EQ(reply.data, "");
  EXPECT_GE(waited, 150ms);
  EXPECT_LT(waited, 2500ms);
}

// Connections beyond the limit wait in the backlog; one is served as soon as a slot frees.
TEST_F(ServerFixture, ConnectionsBeyondTheLimitWaitForASlot) {
  MetricsServerOptions options;
  options.max_connections = 2;
  start(options);
  Client idle1(port_), idle2(port_);
  ASSERT_TRUE(idle1.connected() && idle2.connected());
  Client third(port_, 300ms);
  ASSERT_TRUE(third.send("GET /health HTTP/1.1\r\n\r\n"));
  auto early = third.read_all();
  EXPECT_FALSE(early.closed);
  EXPECT_EQ(early.data, "") << "served although both slots were taken";
  idle1.close();  // the server sees EOF, ends that connection, and accepts the third
  Client::Reply late;
  for (int i = 0; i < 10 && late.data.empty(); ++i) late = third.read_all();
  EXPECT_TRUE(late.data.starts_with("HTTP/1.1 200 OK\r\n")) << late.data;
}

TEST_F(ServerFixture, StopClosesOpenConnectionsAndEndsRun) {
  start();
  Client idle(port_);
  ASSERT_TRUE(idle.connected());
  ASSERT_TRUE(idle.send("GET /met"));
  stop_and_join();
  EXPECT_TRUE(run_ended_);
  auto reply = idle.read_all();
  EXPECT_TRUE(reply.closed);
  Client late(port_);
  EXPECT_FALSE(late.connected()) << "still listening after stop()";
}

TEST(MetricsServer, BusyPortIsAnErrorNamingTheAddress) {
  asio::io_context io;
  Metrics metrics;
  auto first = MetricsServer::bind(io.get_executor(), *parse_listen_address("127.0.0.1:0"), metrics, nullptr);
  ASSERT_TRUE(first);
  auto port = (*first)->local_endpoint().port();
  auto second = MetricsServer::bind(io.get_executor(), *parse_listen_address("127.0.0.1:" + std::to_string(port)),
                                    metrics, nullptr);
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error(), errc::io_failed);
  EXPECT_NE(second.error().message().find("127.0.0.1:" + std::to_string(port)), std::string::npos);
}

// respond() and serialize() without sockets: the request head in, the bytes out.
TEST(MetricsServer, RespondAndSerializeWithoutIo) {
  asio::io_context io;
  Metrics metrics;
  auto server = MetricsServer::bind(io.get_executor(), *parse_listen_address("127.0.0.1:0"), metrics,
                                    [] { return Health{false, "no sync for 2 h"}; });
  ASSERT_TRUE(server);
  auto health = (*server)->respond("GET /health?verbose HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(health.status, 503);
  EXPECT_EQ(health.body, "no sync for 2 h\n");
  EXPECT_EQ(MetricsServer::serialize(health),
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 16\r\n"
            "Cache-Control: no-store\r\nConnection: close\r\n\r\nno sync for 2 h\n");
  EXPECT_EQ((*server)->respond("DELETE /metrics HTTP/1.1\r\n\r\n").status, 405);
  EXPECT_EQ((*server)->respond("GET /metrics\r\n\r\n").status, 400) << "HTTP/0.9 style request line";
  EXPECT_EQ((*server)->respond("GET /metrics/ HTTP/1.1\r\n\r\n").status, 404);
}

TEST(ParseListenAddress, TakesIpLiteralsWithAPort) {
  auto v4 = parse_listen_address("127.0.0.1:9464");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->address().to_string(), "127.0.0.1");
  EXPECT_EQ(v4->port(), 9464);
  auto v6 = parse_listen_address("[::1]:9464");
  ASSERT_TRUE(v6);
  EXPECT_TRUE(v6->address().is_v6());
  EXPECT_TRUE(v6->address().is_loopback());
  auto any = parse_listen_address("0.0.0.0:9464");  // allowed: the user asked for it
  ASSERT_TRUE(any);
  EXPECT_FALSE(any->address().is_loopback());
  EXPECT_EQ(parse_listen_address("127.0.0.1:0")->port(), 0);
}

TEST(ParseListenAddress, RefusesAnythingElse) {
  for (auto bad : {"localhost:9464", "127.0.0.1", "::1:9464", "127.0.0.1:70000", "127.0.0.1:", ":9464",
                   "127.0.0.1:94x", "[::1]9464", "", "example.org:80"}) {
    auto parsed = parse_listen_address(bad);
    EXPECT_FALSE(parsed) << bad;
    if (!parsed) {
      EXPECT_EQ(parsed.error(), errc::invalid_input) << bad;
    }
  }
  EXPECT_NE(parse_listen_address("localhost:9464").error().message().find("not an IP address"), std::string::npos);
}

}  // namespace
}  // namespace cf::follower
