// Two hosts of ours over loopback TCP, each with the identify and ping services: upgrade (with
// and without PSK), identify into the peer book, lifecycle events, ping, a custom protocol
// echoing 1 MB both ways, failures (wrong PSK, wrong peer ID, garbage), keep_connected and stop().
#include "cf/p2p/host/host.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/io_context.hpp>
#include <asio/write.hpp>
#include <gtest/gtest.h>

#include "cf/p2p/identify/identify.hpp"
#include "cf/p2p/identify/service.hpp"
#include "cf/p2p/noise/errc.hpp"
#include "cf/p2p/ping/ping.hpp"
#include "cf/p2p/ping/service.hpp"

namespace cf::p2p {
namespace {

namespace mf = cf::multiformats;
using namespace std::chrono_literals;
using namespace asio::experimental::awaitable_operators;

constexpr std::string_view echo_protocol = "/cf/test/echo/1.0.0";

std::optional<pnet::Psk> psk_of(char c) {
  if (c == 0) return std::nullopt;
  return *pnet::parse_psk(std::string(64, c));
}

struct Pair {
  asio::io_context io;
  Host a;
  Host b;
  identify::Service id_a{a};
  identify::Service id_b{b};
  ping::Service ping_a{a};
  ping::Service ping_b{b};
  explicit Pair(std::optional<pnet::Psk> psk_a = std::nullopt, std::optional<pnet::Psk> psk_b = std::nullopt)
      : a(io.get_executor(), config(psk_a)), b(io.get_executor(), config(psk_b)) {
    EXPECT_TRUE(b.start());
    b.set_handler(std::string(echo_protocol), [](Stream s) -> Task<void> {
      std::array<std::uint8_t, 8192> buf;
      for (;;) {
        auto n = co_await s.read(buf);
        if (!n || *n == 0) break;
        if (!co_await s.write(ByteView(buf.data(), *n))) co_return;
      }
      (void)s.close_write();
    });
  }
  static HostConfig config(std::optional<pnet::Psk> psk) {
    return HostConfig{.identity = identity::Identity::generate(),
                      .psk = psk,
                      .listen_addrs = {*mf::Multiaddr::parse("/ip4/127.0.0.1/tcp/0")},
                      .dial_timeout = 5s,
                      .upgrade_timeout = 2s,  // a wrong PSK stalls both sides until this
                      .redial_min = 50ms,
                      .redial_max = 200ms};
  }
  mf::Multiaddr b_addr() const { return b.listen_addrs().at(0).with_peer_id(b.id()); }
  // Runs `body`, then stops both hosts; fails the test if it takes more than 30 s.
  void run(std::function<Task<void>()> body) {
    bool finished = false;
    asio::co_spawn(io, [&]() -> Task<void> {
      co_await body();
      co_await id_a.stop();
      co_await id_b.stop();
      co_await a.stop(2s);
      co_await b.stop(2s);
      finished = true;
    }, asio::detached);
    io.run_for(30s);
    EXPECT_TRUE(finished);
  }
};

Task<void> connect_identify_ping(Pair& p) {
  auto c = co_await p.a.connect(p.b_addr());
  EXPECT_TRUE(c) << (c ? "" : c.error().message());
  if (!c) co_return;
  EXPECT_EQ((*c)->remote_peer(), p.b.id());
  auto identified = co_await p.id_a.wait_identified(*c);
  EXPECT_TRUE(identified) << (identified ? "" : identified.error().message());
  const auto* record = p.a.peers().find(p.b.id());
  EXPECT_TRUE(record && record->identify);
  if (record && record->identify) {
    EXPECT_EQ(record->identify->agent_version, identify::agent_version());
    EXPECT_TRUE(record->supports(echo_protocol));
    EXPECT_TRUE(record->supports(ping::protocol_id));
    // b listens on loopback TCP: that address is dialable and kept, with b's /p2p.
    EXPECT_EQ(record->announced, std::vector<mf::Multiaddr>{p.b_addr()});
  }
  auto again = co_await p.a.connect(p.b_addr());
  EXPECT_TRUE(again && *again == *c) << "one connection per peer";
  auto rtt = co_await p.ping_a.ping(p.b.id());
  EXPECT_TRUE(rtt) << (rtt ? "" : rtt.error().message());
  // b identified a too (identify on every new connection).
  for (int i = 0; i < 100 && !p.b.connection(p.a.id()); ++i) co_await cf::detail::sleep_for(10ms);
  auto back = p.b.connection(p.a.id());
  EXPECT_TRUE(back);
  if (back) {
    EXPECT_TRUE(co_await p.id_b.wait_identified(back));
    EXPECT_TRUE(p.b.peers().find(p.a.id()) && p.b.peers().find(p.a.id())->identify);
    EXPECT_TRUE(co_await p.ping_b.ping(p.a.id()));
  }
}

TEST(Host, ConnectIdentifyPing) {
  Pair p;
  p.run([&] { return connect_identify_ping(p); });
}

TEST(Host, ConnectIdentifyPingWithPsk) {
  Pair p(psk_of('a'), psk_of('a'));
  p.run([&] { return connect_identify_ping(p); });
}

TEST(Host, EchoesOneMegabyteBothWays) {
  Pair p(psk_of('c'), psk_of('c'));
  p.run([&]() -> Task<void> {
    auto c = co_await p.a.connect(p.b_addr());
    EXPECT_TRUE(c);
    if (!c) co_return;
    auto s = co_await (*c)->open_stream(std::string(echo_protocol));
    EXPECT_TRUE(s) << (s ? "" : s.error().message());
    if (!s) co_return;
    Bytes sent(1 << 20);
    for (std::size_t i = 0; i < sent.size(); ++i) sent[i] = static_cast<std::uint8_t>(i * 7 + i / 251);
    auto writer = [&]() -> Task<Status> {
      CF_CO_TRY(co_await s->write(sent));
      co_return s->close_write();
    };
    auto [written, received] = co_await (writer() && read_to_end(*s, 2 << 20));
    EXPECT_TRUE(written);
    EXPECT_TRUE(received);
    if (received) {
      EXPECT_TRUE(*received == sent) << received->size();
    }
  });
}

TEST(Host, WrongPskFailsCleanly) {
  Pair p(psk_of('1'), psk_of('2'));
  p.run([&]() -> Task<void> {
    auto c = co_await p.a.connect(p.b_addr());
    EXPECT_FALSE(c);
    if (!c) {
      EXPECT_NE(c.error().message().find("private network"), std::string::npos) << c.error().message();
    }
  });
}

TEST(Host, UnexpectedPeerIdIsRefused) {
  Pair p;
  p.run([&]() -> Task<void> {
    auto wrong = p.b.listen_addrs().at(0).with_peer_id(identity::Identity::generate().id());
    auto c = co_await p.a.connect(wrong);
    EXPECT_FALSE(c);
    if (!c) {
      EXPECT_EQ(c.error(), noise::errc::peer_id_mismatch) << c.error().message();
    }
    EXPECT_TRUE(co_await p.a.connect(p.b_addr())) << "b still accepts";
  });
}

TEST(Host, GarbageAfterUpgradeDropsOnlyThatConnection) {
  Pair p;
  p.run([&]() -> Task<void> {
    EXPECT_TRUE(co_await p.a.connect(p.b_addr()));
    // A third peer upgrades by hand, then writes bytes that are no Noise frame.
    auto me = identity::Identity::generate();
    auto socket = co_await transport::dial(p.b.listen_addrs().at(0), 2s);
    EXPECT_TRUE(socket);
    if (!socket) co_return;
    UpgradeConfig config{.identity = me.keypair(), .psk = std::nullopt, .timeout = 5s};
    auto up = co_await upgrade_outbound(std::move(*socket), config, p.b.id());
    EXPECT_TRUE(up) << (up ? "" : up.error().message());
    if (!up) co_return;
    co_await cf::detail::sleep_for(50ms);
    EXPECT_TRUE(p.b.connection(me.id()));
    // A complete Noise frame (length 32) whose tag cannot verify.
    std::string garbage("\x00\x20", 2);
    garbage.append(32, '\xff');
    co_await asio::async_write(up->socket, asio::buffer(garbage), use_tuple);
    for (int i = 0; i < 100 && p.b.connection(me.id()); ++i) co_await cf::detail::sleep_for(10ms);
    EXPECT_FALSE(p.b.connection(me.id())) << "the garbage peer was dropped";
    EXPECT_TRUE(co_await p.ping_a.ping(p.b.id())) << "the other connection is unaffected";
  });
}

TEST(Host, EventsReachEverySubscriberInOrder) {
  Pair p;
  std::vector<std::string> seen;
  auto first = p.a.subscribe([&](const ConnectionEvent& e) {
    seen.push_back("1:" + std::to_string(static_cast<int>(e.kind)));
  });
  std::optional<Subscription> second;
  second = p.a.subscribe([&](const ConnectionEvent& e) {
    seen.push_back("2:" + std::to_string(static_cast<int>(e.kind)));
    if (e.kind == ConnectionEventKind::identified) second.reset();  // unsubscribes itself
  });
  p.run([&]() -> Task<void> {
    auto c = co_await p.a.connect(p.b_addr());
    EXPECT_TRUE(c);
    if (!c) co_return;
    EXPECT_TRUE(co_await p.id_a.wait_identified(*c));
    (*c)->close();
    co_await (*c)->wait_closed();
    for (int i = 0; i < 50 && seen.size() < 5; ++i) co_await cf::detail::sleep_for(10ms);
  });
  EXPECT_EQ(seen, (std::vector<std::string>{"1:0", "2:0", "1:1", "2:1", "1:2"}));
  EXPECT_EQ(p.a.peers().find(p.b.id()), nullptr) << "a peer that is not configured is forgotten on disconnect";
}

TEST(Host, KeepConnectedRedialsAndUsesIdentifiedAddresses) {
  Pair p;
  p.run([&]() -> Task<void> {
    // A configured address that refuses connections, then b's real one learned from identify.
    auto dead = *mf::Multiaddr::parse("/ip4/127.0.0.1/tcp/1");
    p.a.keep_connected({dead.with_peer_id(p.b.id())});
    for (int i = 0; i < 100 && !p.a.connection(p.b.id()); ++i) co_await cf::detail::sleep_for(20ms);
    EXPECT_FALSE(p.a.connection(p.b.id())) << "only a dead address is known";
    // b dials a once, so a identifies b and learns b's listen address.
    EXPECT_TRUE(p.a.start());
    auto c = co_await p.b.connect(p.a.listen_addrs().at(0).with_peer_id(p.a.id()));
    EXPECT_TRUE(c);
    if (!c) co_return;
    // a adopts the inbound connection once its side of the upgrade is done.
    for (int i = 0; i < 100 && !p.a.connection(p.b.id()); ++i) co_await cf::detail::sleep_for(10ms);
    auto back = p.a.connection(p.b.id());
    EXPECT_TRUE(back);
    if (!back) co_return;
    EXPECT_TRUE(co_await p.id_a.wait_identified(back));
    const auto* record = p.a.peers().find(p.b.id());
    EXPECT_TRUE(record && record->dial_addresses().size() == 2u);
    // The connection drops; keep_connected redials, the dead address first, then b's announced one.
    (*c)->close();
    co_await (*c)->wait_closed();
    for (int i = 0; i < 200 && !p.a.connection(p.b.id()); ++i) co_await cf::detail::sleep_for(20ms);
    auto redialed = p.a.connection(p.b.id());
    EXPECT_TRUE(redialed && redialed->outbound()) << "a redialed b at its announced address";
  });
}

TEST(Host, StopIsBounded) {
  Pair p;
  auto started = std::chrono::steady_clock::now();
  p.run([&]() -> Task<void> {
    EXPECT_TRUE(co_await p.a.connect(p.b_addr()));
    auto s = co_await p.a.new_stream(p.b.id(), std::string(echo_protocol));
    EXPECT_TRUE(s);
    // A stream left open, with its handler waiting in a read: stop() must still end.
    co_await p.a.stop(2s);
    co_await p.b.stop(2s);
  });
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

}  // namespace
}  // namespace cf::p2p
