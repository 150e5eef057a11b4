// TCP dial/listen over loopback only.
#include "cf/p2p/transport/tcp.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>
#include <gtest/gtest.h>

namespace cf::p2p::transport {
namespace {

namespace mf = cf::multiformats;
using namespace std::chrono_literals;

mf::Multiaddr addr(const char* text) { return *mf::Multiaddr::parse(text); }

TEST(TcpTarget, AcceptsIpAndDnsWithTcp) {
  auto t = tcp_target(addr("/dns4/localhost/tcp/9096/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq"));
  ASSERT_TRUE(t) << t.error().message();
  EXPECT_EQ(t->host, "localhost");
  EXPECT_EQ(t->port, 9096);
  EXPECT_TRUE(t->is_dns);
  EXPECT_EQ(t->family, TcpTarget::Family::v4);
  auto v6 = tcp_target(addr("/ip6/::1/tcp/4001"));
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->family, TcpTarget::Family::v6);
  for (auto bad : {"/ip4/127.0.0.1/udp/4001/quic-v1", "/ip4/127.0.0.1/tcp/1/ws", "/ip4/127.0.0.1"}) {
    auto r = tcp_target(addr(bad));
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error(), errc::unsupported_address);
    EXPECT_NE(r.error().message().find(bad), std::string::npos);
  }
}

TEST(Tcp, DialAndAcceptOnLoopback) {
  asio::io_context io;
  auto listener = TcpListener::listen(io.get_executor(), addr("/ip4/127.0.0.1/tcp/0"));
  ASSERT_TRUE(listener) << listener.error().message();
  auto where = listener->local_address();
  std::string received;
  asio::co_spawn(io, [&]() -> Task<void> {
    auto peer = co_await listener->accept();
    EXPECT_TRUE(peer);
    char buf[5];
    auto [ec, n] = co_await asio::async_read(*peer, asio::buffer(buf), use_tuple);
    received.assign(buf, n);
  }, asio::detached);
  asio::co_spawn(io, [&]() -> Task<void> {
    // By name: "localhost" resolves from /etc/hosts, so no DNS query leaves the machine.
    auto port = where.components()[1].value;
    auto socket = co_await dial(addr(("/dns4/localhost/tcp/" + port).c_str()), 2s);
    EXPECT_TRUE(socket) << (socket ? "" : socket.error().message());
    if (socket) co_await asio::async_write(*socket, asio::buffer(std::string_view("hello")), use_tuple);
  }, asio::detached);
  io.run();
  EXPECT_EQ(received, "hello");
}

TEST(Tcp, RefusedDialNamesTheAddress) {
  asio::io_context io;
  Result<Socket> refused = Error(cf::errc::invalid_input);
  asio::co_spawn(io, [&]() -> Task<void> { refused = co_await dial(addr("/ip4/127.0.0.1/tcp/1"), 2s); },
                 asio::detached);
  io.run();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), errc::connect_failed);
  EXPECT_NE(refused.error().message().find("/ip4/127.0.0.1/tcp/1"), std::string::npos);
}

}  // namespace
}  // namespace cf::p2p::transport
