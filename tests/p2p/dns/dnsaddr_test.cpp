// /dnsaddr/ resolution: go's record rules, nesting and bounds, against a fake DNS server.
#include "cf/p2p/dns/dnsaddr.hpp"

#include <gtest/gtest.h>

#include <map>

#include <fmt/format.h>

#include "cf/p2p/dns/message.hpp"
#include "p2p/dns/fake_dns_server.hpp"

namespace cf::p2p::dns {
namespace {

namespace mf = cf::multiformats;
using namespace std::chrono_literals;
using test::FakeDnsServer;
using test::SeenQuery;
using Addrs = Result<std::vector<mf::Multiaddr>>;

const std::string A = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
const std::string B = "QmbHVEEepCi7rn7VL7Exxpd2Ci9NNB6ifvqwhsrbRMgQFP";

mf::Multiaddr ma(const std::string& text) {
  auto m = mf::Multiaddr::parse(text);
  EXPECT_TRUE(m) << text;
  return *m;
}

std::vector<mf::Multiaddr> mas(const std::vector<std::string>& texts) {
  std::vector<mf::Multiaddr> out;
  for (const auto& t : texts) out.push_back(ma(t));
  return out;
}

// A zone: TXT strings per name; other names get NXDOMAIN.
using Zone = std::map<std::string, std::vector<std::string>>;

FakeDnsServer::Handler serve(Zone zone) {
  return [zone = std::move(zone)](ByteView q, const SeenQuery& seen) {
    auto it = zone.find(seen.name);
    if (it == zone.end()) return std::vector<Bytes>{test::make_reply(q, {}, rcode::name_error)};
    std::vector<std::vector<std::string>> records;
    for (const auto& s : it->second) records.push_back(test::txt(s));
    return std::vector<Bytes>{test::make_reply(q, records)};
  };
}

Config config_for(const FakeDnsServer& server) {
  Config config;
  config.nameservers = {server.nameserver()};
  config.random_id = [] { return std::uint16_t{7}; };
  return config;
}

// Resolves `address` against `zone`, with the bounds of `custom` if given; `queries` gets the
// number of queries the server saw.
Addrs resolve(const Zone& zone, const std::string& address, Config* custom = nullptr,
              std::size_t* queries = nullptr) {
  asio::io_context io;
  FakeDnsServer server(io, serve(zone));
  auto config = config_for(server);
  if (custom) {
    custom->nameservers = config.nameservers;
    custom->random_id = config.random_id;
    config = *custom;
  }
  auto result = test::run_with<Addrs>(io, {&server}, resolve_dnsaddr(ma(address), config));
  if (queries) *queries = server.queries().size();
  return result;
}

TEST(DnsaddrResolve, MultiaddrParsesDnsaddrWithPeerId) {
  auto m = mf::Multiaddr::parse("/dnsaddr/bootstrap.libp2p.io/p2p/" + B);
  ASSERT_TRUE(m);
  EXPECT_TRUE(is_dnsaddr(*m));
  EXPECT_EQ(m->components()[0].value, "bootstrap.libp2p.io");
  EXPECT_FALSE(is_dnsaddr(ma("/dns4/bootstrap.libp2p.io/tcp/4001")));
  EXPECT_FALSE(is_dnsaddr(ma("/ip4/1.2.3.4/tcp/1/dnsaddr/x.y")));
}

TEST(DnsaddrResolve, SelectsRecordsByGoRules) {
  const std::vector<std::string> txt = {
      "dnsaddr=/ip4/1.2.3.4/tcp/4001/p2p/" + A,
      "dnsaddr=/ip4/5.6.7.8/tcp/4001/p2p/" + B,  // another peer
      "dnsaddr=/dnsaddr/sub.example/p2p/" + A,   // nested, same peer
      "dnsaddr=/p2p/" + A,                       // nothing but the suffix: dropped (go)
      "dnsaddr=/ip4/9.9.9.9/tcp/1",              // no /p2p: does not end with the suffix
      "dnsaddr=not a multiaddr",
      "v=spf1 -all",
      " dnsaddr=/ip4/1.1.1.1/tcp/1/p2p/" + A,    // the prefix must come first
  };
  auto with_id = select_dnsaddr_records(txt, ma("/dnsaddr/example.com/p2p/" + A));
  EXPECT_EQ(with_id.kept, mas({"/ip4/1.2.3.4/tcp/4001/p2p/" + A, "/dnsaddr/sub.example/p2p/" + A}));
  EXPECT_EQ(with_id.values, 6u);
  EXPECT_EQ(with_id.unparsable, 1u);
  EXPECT_EQ(with_id.other_suffix, 3u);

  // Without trailing components every value that parses is kept.
  auto any = select_dnsaddr_records(txt, ma("/dnsaddr/example.com"));
  EXPECT_EQ(any.kept.size(), 5u);
  EXPECT_EQ(any.other_suffix, 0u);

  // The suffix is any trailing components, not only /p2p.
  auto port = select_dnsaddr_records({"dnsaddr=/ip4/1.2.3.4/tcp/4001", "dnsaddr=/ip4/1.2.3.4/tcp/4002"},
                                     ma("/dnsaddr/example.com/tcp/4001"));
  EXPECT_EQ(port.kept, mas({"/ip4/1.2.3.4/tcp/4001"}));
}

TEST(DnsaddrResolve, OtherAddressesComeBackUnchanged) {
  const std::vector<std::string> others = {"/ip4/1.2.3.4/tcp/4001/p2p/" + A, "/dns4/example.com/tcp/1",
                                            "/ip4/1.2.3.4/tcp/1/dnsaddr/x.y"};
  for (const auto& text : others) {
    std::size_t queries = 99;
    auto result = resolve({}, text, nullptr, &queries);
    ASSERT_TRUE(result) << result.error().message();
    EXPECT_EQ(*result, mas({text}));
    EXPECT_EQ(queries, 0u);
  }
}

TEST(DnsaddrResolve, ResolvesNestedRecordsForThePeer) {
  const Zone zone = {
      {"_dnsaddr.bootstrap.example",
       {"dnsaddr=/ip4/1.2.3.4/tcp/4001/p2p/" + A, "dnsaddr=/dnsaddr/sub.example/p2p/" + A,
        "dnsaddr=/ip4/9.9.9.9/tcp/1/p2p/" + B, "foo=bar", "dnsaddr=/dns4/a.example/tcp/4001/p2p/" + A,
        "dnsaddr=garbage"}},
      {"_dnsaddr.sub.example", {"dnsaddr=/ip6/::1/tcp/4001/p2p/" + A, "dnsaddr=/ip4/1.2.3.4/tcp/4001/p2p/" + A}},
  };
  std::size_t queries = 0;
  auto result = resolve(zone, "/dnsaddr/bootstrap.example/p2p/" + A, nullptr, &queries);
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(*result, mas({"/ip4/1.2.3.4/tcp/4001/p2p/" + A, "/dns4/a.example/tcp/4001/p2p/" + A,
                          "/ip6/::1/tcp/4001/p2p/" + A}));
  EXPECT_EQ(queries, 2u);
}

TEST(DnsaddrResolve, WithoutPeerIdEveryPeerIsKept) {
  const Zone zone = {
      {"_dnsaddr.example.com", {"dnsaddr=/ip4/1.2.3.4/tcp/1/p2p/" + A, "dnsaddr=/ip4/5.6.7.8/tcp/2/p2p/" + B}}};
  auto result = resolve(zone, "/dnsaddr/example.com");
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(*result, mas({"/ip4/1.2.3.4/tcp/1/p2p/" + A, "/ip4/5.6.7.8/tcp/2/p2p/" + B}));
}

TEST(DnsaddrResolve, NestingStopsAtTheDepthBound) {
  // A record that names itself: looked up max_depth times, then given up.
  const Zone loop = {{"_dnsaddr.loop.example", {"dnsaddr=/dnsaddr/loop.example/p2p/" + A}}};
  std::size_t queries = 0;
  auto looped = resolve(loop, "/dnsaddr/loop.example/p2p/" + A, nullptr, &queries);
  ASSERT_FALSE(looped);
  EXPECT_EQ(looped.error(), errc::no_records);
  EXPECT_NE(looped.error().message().find("depth"), std::string::npos) << looped.error().message();
  EXPECT_EQ(queries, 4u);

  // a -> b -> c -> d -> address: four lookups, within the bound; one level more is not.
  Zone chain = {{"_dnsaddr.a.example", {"dnsaddr=/dnsaddr/b.example"}},
                {"_dnsaddr.b.example", {"dnsaddr=/dnsaddr/c.example"}},
                {"_dnsaddr.c.example", {"dnsaddr=/dnsaddr/d.example"}},
                {"_dnsaddr.d.example", {"dnsaddr=/ip4/1.2.3.4/tcp/1"}}};
  auto deep = resolve(chain, "/dnsaddr/a.example");
  ASSERT_TRUE(deep) << deep.error().message();
  EXPECT_EQ(*deep, mas({"/ip4/1.2.3.4/tcp/1"}));
  chain["_dnsaddr.d.example"] = {"dnsaddr=/dnsaddr/e.example"};
  chain["_dnsaddr.e.example"] = {"dnsaddr=/ip4/1.2.3.4/tcp/1"};
  auto too_deep = resolve(chain, "/dnsaddr/a.example");
  ASSERT_FALSE(too_deep);
  EXPECT_EQ(too_deep.error(), errc::no_records);
}

TEST(DnsaddrResolve, ResultsAndLookupsAreBounded) {
  Zone zone;
  for (int i = 0; i < 300; ++i) {
    zone["_dnsaddr.many.example"].push_back(fmt::format("dnsaddr=/ip4/10.0.{}.{}/tcp/1", i / 256, i % 256));
  }
  auto many = resolve(zone, "/dnsaddr/many.example");
  ASSERT_TRUE(many) << many.error().message();
  EXPECT_EQ(many->size(), 100u);
  EXPECT_EQ((*many)[99], ma("/ip4/10.0.0.99/tcp/1"));

  Zone fan;
  for (int i = 0; i < 50; ++i) {
    // fmt, not operator+: g++ 12 warns wrongly (-Wrestrict) on the concatenations here.
    const auto sub = fmt::format("s{}.example", i);
    fan["_dnsaddr.fan.example"].push_back(fmt::format("dnsaddr=/dnsaddr/{}", sub));
    fan[fmt::format("_dnsaddr.{}", sub)] = {fmt::format("dnsaddr=/ip4/10.1.0.{}/tcp/1", i)};
  }
  Config config;
  config.max_lookups = 5;
  std::size_t queries = 0;
  auto bounded = resolve(fan, "/dnsaddr/fan.example", &config, &queries);
  ASSERT_TRUE(bounded) << bounded.error().message();
  EXPECT_EQ(bounded->size(), 4u);
  EXPECT_EQ(queries, 5u);
}

TEST(DnsaddrResolve, NxdomainNamesTheHost) {
  auto result = resolve({}, "/dnsaddr/missing.example/p2p/" + A);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), errc::name_not_found);
  const auto message = result.error().message();
  EXPECT_NE(message.find("/dnsaddr/missing.example/p2p/" + A), std::string::npos) << message;
  EXPECT_NE(message.find("_dnsaddr.missing.example"), std::string::npos) << message;
}

TEST(DnsaddrResolve, RecordsForOtherPeersOnly) {
  const Zone zone = {{"_dnsaddr.example.com", {"dnsaddr=/ip4/5.6.7.8/tcp/2/p2p/" + B}}};
  auto result = resolve(zone, "/dnsaddr/example.com/p2p/" + A);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), errc::peer_id_mismatch);
  EXPECT_NE(result.error().message().find("none for /p2p/" + A), std::string::npos) << result.error().message();
}

TEST(DnsaddrResolve, NoDnsaddrRecords) {
  const Zone zone = {{"_dnsaddr.example.com", {"v=spf1 -all", "dnsaddr=???"}}};
  auto result = resolve(zone, "/dnsaddr/example.com/p2p/" + A);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), errc::no_records);
  const auto message = result.error().message();
  EXPECT_NE(message.find("_dnsaddr.example.com has no usable dnsaddr= TXT record"), std::string::npos) << message;
}

TEST(DnsaddrResolve, FailedNestedLookupIsSkipped) {
  const Zone zone = {{"_dnsaddr.example.com", {"dnsaddr=/dnsaddr/gone.example", "dnsaddr=/ip4/1.2.3.4/tcp/1"}}};
  auto result = resolve(zone, "/dnsaddr/example.com");
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(*result, mas({"/ip4/1.2.3.4/tcp/1"}));

  const Zone only_nested = {{"_dnsaddr.example.com", {"dnsaddr=/dnsaddr/gone.example"}}};
  auto failed = resolve(only_nested, "/dnsaddr/example.com");
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), errc::no_records);
  EXPECT_NE(failed.error().message().find("_dnsaddr.gone.example"), std::string::npos) << failed.error().message();
}

TEST(DnsaddrResolve, HostileHostInARecordIsNotQueriedOrEchoed) {
  const Zone zone = {{"_dnsaddr.example.com", {std::string("dnsaddr=/dnsaddr/evil\x1b[31m.example")}}};
  std::size_t queries = 0;
  auto result = resolve(zone, "/dnsaddr/example.com", nullptr, &queries);
  ASSERT_FALSE(result);
  EXPECT_EQ(queries, 1u);
  EXPECT_EQ(result.error().message().find('\x1b'), std::string::npos) << result.error().message();
}

TEST(DnsaddrResolve, WholeResolveIsBoundedInTime) {
  asio::io_context io;
  FakeDnsServer quiet(io, [](ByteView, const SeenQuery&) { return std::vector<Bytes>{}; });
  auto config = config_for(quiet);
  config.try_timeout = 30s;
  config.total_timeout = 50ms;
  auto result = test::run_with<Addrs>(io, {&quiet}, resolve_dnsaddr(ma("/dnsaddr/example.com"), config));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), cf::errc::timed_out);
  EXPECT_NE(result.error().message().find("/dnsaddr/example.com"), std::string::npos) << result.error().message();
}

TEST(DnsaddrResolve, NoServerAnswering) {
  asio::io_context io;
  FakeDnsServer quiet(io, [](ByteView, const SeenQuery&) { return std::vector<Bytes>{}; });
  auto config = config_for(quiet);
  config.try_timeout = 20ms;
  config.attempts = 1;
  auto result = test::run_with<Addrs>(io, {&quiet}, resolve_dnsaddr(ma("/dnsaddr/example.com"), config));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), errc::no_answer);
  const auto message = result.error().message();
  EXPECT_NE(message.find("resolving /dnsaddr/example.com"), std::string::npos) << message;
}

}  // namespace
}  // namespace cf::p2p::dns
