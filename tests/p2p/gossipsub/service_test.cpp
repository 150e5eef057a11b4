// Two hosts of ours over loopback with the gossipsub service: each opens one stream to the
// other after identify, subscriptions and GRAFTs flow, a published message is delivered to the
// other side, and a validator's reject is counted and not delivered.
#include "cf/p2p/gossipsub/service.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <gtest/gtest.h>

#include "cf/p2p/identify/service.hpp"

namespace cf::p2p::gossipsub {
namespace {

namespace mf = cf::multiformats;
using namespace std::chrono_literals;

constexpr auto topic = "cf-test-topic";

struct Side {
  Side(asio::io_context& io, identity::Identity me, ServiceConfig config)
      : host(io.get_executor(), HostConfig{.identity = me,
                                           .psk = std::nullopt,
                                           .listen_addrs = {*mf::Multiaddr::parse("/ip4/127.0.0.1/tcp/0")}}),
        pubsub(host, me.keypair(), std::move(config)) {}
  Host host;
  identify::Service identify{host};
  Service pubsub;
  std::vector<Delivery> delivered;
};

ServiceConfig fast() {
  ServiceConfig config;
  config.router.heartbeat_interval = std::chrono::milliseconds(100);
  return config;
}

struct Pair {
  asio::io_context io;
  Side a{io, identity::Identity::generate(), fast()};
  Side b{io, identity::Identity::generate(), fast()};

  void run(std::function<Task<void>()> body) {
    ASSERT_TRUE(a.host.start());
    ASSERT_TRUE(b.host.start());
    for (auto* s : {&a, &b}) {
      s->pubsub.on_delivery([s](const Delivery& d) { s->delivered.push_back(d); });
      s->pubsub.subscribe(topic);
      s->pubsub.start();
    }
    bool finished = false;
    asio::co_spawn(io, [&]() -> Task<void> {
      auto c = co_await a.host.connect(b.host.listen_addrs().at(0).with_peer_id(b.host.id()));
      EXPECT_TRUE(c);
      co_await body();
      for (auto* s : {&a, &b}) {
        co_await s->pubsub.stop();
        co_await s->identify.stop();
        co_await s->host.stop(2s);
      }
      finished = true;
    }, asio::detached);
    io.run_for(30s);
    EXPECT_TRUE(finished);
  }
};

Task<bool> eventually(std::function<bool()> condition) {
  for (int i = 0; i < 300 && !condition(); ++i) co_await cf::detail::sleep_for(10ms);
  co_return condition();
}

TEST(GossipsubService, StreamsBothWaysThenAMessageIsDelivered) {
  Pair p;
  p.run([&]() -> Task<void> {
    auto in_mesh = [&] {
      auto mesh = p.a.pubsub.router().mesh_peers(topic);
      return std::find(mesh.begin(), mesh.end(), p.b.host.id()) != mesh.end();
    };
    EXPECT_TRUE(co_await eventually(in_mesh)) << "a grafted b in a heartbeat";
    EXPECT_TRUE(co_await eventually([&] { return p.b.pubsub.router().mesh_peers(topic).size() == 1; }));
    auto streams = p.a.pubsub.streams(p.b.host.id());
    EXPECT_TRUE(streams && streams->outbound_protocol == protocol_v12 && streams->inbound_streams == 1);
    auto id = p.b.pubsub.publish(topic, Bytes{'h', 'i'});
    EXPECT_TRUE(id);
    EXPECT_TRUE(co_await eventually([&] { return !p.a.delivered.empty(); }));
    if (!p.a.delivered.empty()) {
      EXPECT_EQ(p.a.delivered[0].author, p.b.host.id());
      EXPECT_EQ(p.a.delivered[0].message.data, (Bytes{'h', 'i'}));
    }
    EXPECT_TRUE(p.b.delivered.empty()) << "no echo of our own message";
  });
}

TEST(GossipsubService, AnUntrustedAuthorIsCountedAndNotDelivered) {
  Pair p;
  p.a.pubsub.set_validator(topic, [](const PeerId&, const Message&) { return Verdict::reject; });
  p.run([&]() -> Task<void> {
    EXPECT_TRUE(co_await eventually([&] { return p.b.pubsub.streams(p.a.host.id()) &&
                                                  !p.b.pubsub.streams(p.a.host.id())->outbound_protocol.empty(); }));
    EXPECT_TRUE(co_await eventually([&] { return !p.b.pubsub.router().mesh_peers(topic).empty(); }));
    (void)p.b.pubsub.publish(topic, Bytes{'x'});
    EXPECT_TRUE(co_await eventually([&] { return p.a.pubsub.router().counters().untrusted_author == 1; }));
    EXPECT_TRUE(p.a.delivered.empty());
  });
}

TEST(GossipsubService, AMalformedRpcDropsTheStreamNotTheConnection) {
  Pair p;
  p.run([&]() -> Task<void> {
    EXPECT_TRUE(co_await eventually([&] { return p.b.pubsub.streams(p.a.host.id()) &&
                                                  p.b.pubsub.streams(p.a.host.id())->inbound_streams == 1; }));
    // A second stream from a, carrying a frame that is no RPC (field 1 with wire type 7).
    auto stream = co_await p.a.host.new_stream(p.b.host.id(), std::string(protocol_v12));
    EXPECT_TRUE(stream);
    if (!stream) co_return;
    const Bytes junk{0x02, 0x0f, 0x00};
    const auto written = co_await stream->write(junk);
    EXPECT_TRUE(written);
    EXPECT_TRUE(co_await eventually([&] { return p.b.pubsub.router().counters().malformed == 1; }));
    const bool one_left = co_await eventually([&] { return p.b.pubsub.streams(p.a.host.id())->inbound_streams == 1; });
    EXPECT_TRUE(one_left) << "only the bad stream ended";
    EXPECT_TRUE(p.a.host.connection(p.b.host.id())) << "the connection survives";
    // Published messages go to mesh peers only (gossip reaches the others): wait for a's mesh.
    const bool meshed = co_await eventually([&] { return p.a.pubsub.router().mesh_peers(topic).size() == 1; });
    EXPECT_TRUE(meshed);
    (void)p.a.pubsub.publish(topic, Bytes{'o', 'k'});
    const bool carried = co_await eventually([&] { return !p.b.delivered.empty(); });
    EXPECT_TRUE(carried) << "and still carries messages";
  });
}

TEST(GossipsubService, APeerThatNeverOpensItsStreamIsReconnected) {
  asio::io_context io;
  ServiceConfig config = fast();
  config.inbound_grace = std::chrono::milliseconds(300);
  Side a{io, identity::Identity::generate(), config};
  // b lists meshsub (its handler reads) but never opens a stream to a: what go does once it
  // has given up on a peer.
  Host b(io.get_executor(), HostConfig{.identity = identity::Identity::generate(),
                                       .psk = std::nullopt,
                                       .listen_addrs = {*mf::Multiaddr::parse("/ip4/127.0.0.1/tcp/0")}});
  identify::Service b_identify{b};
  b.set_handler(std::string(protocol_v12), [](Stream s) -> Task<void> {
    std::array<std::uint8_t, 1024> buf;
    while (true) {
      auto n = co_await s.read(buf);
      if (!n || *n == 0) break;
    }
  });
  ASSERT_TRUE(b.start());
  a.pubsub.start();
  bool finished = false;
  asio::co_spawn(io, [&]() -> Task<void> {
    auto first = co_await a.host.connect(b.listen_addrs().at(0).with_peer_id(b.id()));
    EXPECT_TRUE(first);
    if (first) {
      const bool closed = co_await eventually([&] { return (*first)->is_closed(); });
      EXPECT_TRUE(closed) << "a closed the silent connection";
      if ((*first)->close_reason()) {
        EXPECT_EQ((*first)->close_reason()->code(), p2p::errc::connection_closed);
      }
    }
    co_await a.pubsub.stop();
    co_await a.identify.stop();
    co_await b_identify.stop();
    co_await a.host.stop(2s);
    co_await b.stop(2s);
    finished = true;
  }, asio::detached);
  io.run_for(10s);
  EXPECT_TRUE(finished);
}

}  // namespace
}  // namespace cf::p2p::gossipsub
