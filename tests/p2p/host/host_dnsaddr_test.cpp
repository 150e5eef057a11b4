// keep_connected with a /dnsaddr/ peer address: the host resolves it through a fake DNS server
// on loopback (TXT _dnsaddr.<host>) and dials what it names.
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <gtest/gtest.h>

#include "cf/p2p/host/host.hpp"
#include "p2p/dns/fake_dns_server.hpp"

namespace cf::p2p {
namespace {

namespace mf = cf::multiformats;
using namespace std::chrono_literals;

TEST(HostDnsaddr, KeepConnectedResolvesDnsaddrPeers) {
  asio::io_context io;
  Host b(io.get_executor(), HostConfig{.identity = identity::Identity::generate(),
                                       .psk = std::nullopt,
                                       .listen_addrs = {*mf::Multiaddr::parse("/ip4/127.0.0.1/tcp/0")}});
  ASSERT_TRUE(b.start());
  const auto b_addr = b.listen_addrs().at(0).with_peer_id(b.id());
  std::vector<std::string> seen_names;
  dns::test::FakeDnsServer server(io, [&](ByteView q, const dns::test::SeenQuery& seen) {
    seen_names.push_back(seen.name);
    std::vector<std::vector<std::string>> records;
    if (seen.name == "_dnsaddr.peers.example.test") records.push_back(dns::test::txt("dnsaddr=" + b_addr.to_string()));
    return std::vector<Bytes>{dns::test::make_reply(q, records)};
  });
  dns::Config dns_config;
  dns_config.nameservers = {server.nameserver()};
  Host a(io.get_executor(), HostConfig{.identity = identity::Identity::generate(),
                                       .psk = std::nullopt,
                                       .listen_addrs = {},
                                       .redial_min = 50ms,
                                       .redial_max = 200ms,
                                       .dns = dns_config});
  bool connected = false;
  asio::co_spawn(io, [&]() -> Task<void> {
    a.keep_connected({*mf::Multiaddr::parse("/dnsaddr/peers.example.test/p2p/" + b.id().to_string())});
    for (int i = 0; i < 200 && !a.connection(b.id()); ++i) co_await cf::detail::sleep_for(10ms);
    connected = a.connection(b.id()) != nullptr;
    co_await a.stop(2s);
    co_await b.stop(2s);
    server.stop();
  }, asio::detached);
  io.run_for(10s);
  EXPECT_TRUE(connected);
  EXPECT_EQ(seen_names, std::vector<std::string>{"_dnsaddr.peers.example.test"});
}

}  // namespace
}  // namespace cf::p2p
