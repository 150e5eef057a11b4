// The TXT lookup against fake DNS servers on 127.0.0.1 (UDP and TCP on one ephemeral port).
#include "cf/p2p/dns/client.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "cf/p2p/dns/message.hpp"
#include "p2p/dns/fake_dns_server.hpp"

namespace cf::p2p::dns {
namespace {

using namespace std::chrono_literals;
using test::FakeDnsServer;
using test::make_reply;
using test::SeenQuery;
using test::Transport;
using test::txt;
using Txt = Result<std::vector<std::string>>;

const std::string name = "_dnsaddr.example.com";

// IDs 100, 101, ...: the server can check that each exchange uses a fresh one.
std::function<std::uint16_t()> counting_ids() {
  auto next = std::make_shared<std::uint16_t>(100);
  return [next] { return (*next)++; };
}

Config config_for(std::vector<FakeDnsServer*> servers, std::chrono::milliseconds try_timeout = 2s) {
  Config config;
  for (auto* s : servers) config.nameservers.push_back(s->nameserver());
  config.try_timeout = try_timeout;
  config.random_id = counting_ids();
  return config;
}

std::vector<Bytes> silent(ByteView, const SeenQuery&) { return {}; }

// A server that answers every query with these TXT strings (one record each), or with `code`.
FakeDnsServer::Handler answering(std::vector<std::string> strings) {
  return [strings = std::move(strings)](ByteView q, const SeenQuery&) {
    std::vector<std::vector<std::string>> records;
    for (const auto& s : strings) records.push_back(txt(s));
    return std::vector<Bytes>{make_reply(q, records)};
  };
}
FakeDnsServer::Handler failing_with(std::uint8_t code) {
  return [code](ByteView q, const SeenQuery&) { return std::vector<Bytes>{make_reply(q, {}, code)}; };
}

TEST(DnsResolver, AnswersOverUdp) {
  asio::io_context io;
  FakeDnsServer server(io, answering({"dnsaddr=/ip4/1.2.3.4/tcp/4001", "other"}));
  auto result = test::run_with<Txt>(io, {&server}, lookup_txt(name, config_for({&server})));
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(*result, (std::vector<std::string>{"dnsaddr=/ip4/1.2.3.4/tcp/4001", "other"}));
  ASSERT_EQ(server.queries().size(), 1u);
  const auto& q = server.queries()[0];
  EXPECT_EQ(q.id, 100);
  EXPECT_EQ(q.flags, 0x0100);  // a standard query, RD set
  EXPECT_EQ(q.name, name);
  EXPECT_EQ(q.type, rr_type::txt);
  EXPECT_EQ(q.arcount, 1);  // the EDNS0 OPT record
}

TEST(DnsResolver, TruncatedReplyIsAskedAgainOverTcp) {
  asio::io_context io;
  FakeDnsServer server(io, [](ByteView q, const SeenQuery& seen) {
    if (seen.transport == Transport::udp) return std::vector<Bytes>{make_reply(q, {}, rcode::no_error, true)};
    return std::vector<Bytes>{make_reply(q, {txt("dnsaddr=/ip4/1.2.3.4/tcp/1"), txt("dnsaddr=/ip6/::1/tcp/2")})};
  });
  auto result = test::run_with<Txt>(io, {&server}, lookup_txt(name, config_for({&server})));
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(result->size(), 2u);
  EXPECT_EQ(server.count(Transport::udp), 1u);
  ASSERT_EQ(server.count(Transport::tcp), 1u);
  EXPECT_NE(server.queries()[0].id, server.queries()[1].id);  // a fresh ID per exchange
}

TEST(DnsResolver, NxdomainIsFinal) {
  asio::io_context io;
  FakeDnsServer first(io, failing_with(rcode::name_error));
  FakeDnsServer second(io, answering({"x"}));
  auto result = test::run_with<Txt>(io, {&first, &second}, lookup_txt(name, config_for({&first, &second})));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), errc::name_not_found);
  EXPECT_NE(result.error().message().find(name), std::string::npos) << result.error().message();
  EXPECT_NE(result.error().message().find("NXDOMAIN"), std::string::npos);
  EXPECT_EQ(second.queries().size(), 0u);
}

TEST(DnsResolver, ServerFailureMovesOnToTheNextServer) {
  asio::io_context io;
  FakeDnsServer failing(io, failing_with(rcode::server_failure));
  FakeDnsServer good(io, answering({"ok"}));
  auto result = test::run_with<Txt>(io, {&failing, &good}, lookup_txt(name, config_for({&failing, &good})));
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(*result, std::vector<std::string>{"ok"});

  // Only failures: server_failure, naming the RCODE, after `attempts` rounds.
  asio::io_context io2;
  FakeDnsServer refusing(io2, failing_with(rcode::refused));
  auto failed = test::run_with<Txt>(io2, {&refusing}, lookup_txt(name, config_for({&refusing})));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error(), errc::server_failure);
  EXPECT_NE(failed.error().message().find("REFUSED"), std::string::npos) << failed.error().message();
  EXPECT_EQ(refusing.queries().size(), 2u);
}

TEST(DnsResolver, SilentServerTimesOutAndTheNextOneAnswers) {
  asio::io_context io;
  FakeDnsServer quiet(io, silent);
  FakeDnsServer good(io, answering({"ok"}));
  auto result = test::run_with<Txt>(io, {&quiet, &good}, lookup_txt(name, config_for({&quiet, &good}, 50ms)));
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(quiet.queries().size(), 1u);
}

TEST(DnsResolver, NoAnswerAtAllNamesTheServers) {
  asio::io_context io;
  FakeDnsServer quiet(io, silent);
  auto config = config_for({&quiet}, 30ms);
  config.attempts = 3;
  auto result = test::run_with<Txt>(io, {&quiet}, lookup_txt(name, config));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), errc::no_answer);
  const auto message = result.error().message();
  EXPECT_NE(message.find(name), std::string::npos) << message;
  EXPECT_NE(message.find(quiet.nameserver().to_string()), std::string::npos) << message;
  EXPECT_NE(message.find("timed out"), std::string::npos) << message;
  EXPECT_EQ(quiet.queries().size(), 3u);
}

TEST(DnsResolver, IgnoresStrayDatagramsAndTakesTheReply) {
  asio::io_context io;
  FakeDnsServer server(io, [](ByteView q, const SeenQuery&) {
    auto stray = make_reply(q, {txt("spoofed")});
    stray[1] ^= 0x55;  // another ID
    Bytes not_a_reply(q.begin(), q.end());
    return std::vector<Bytes>{stray, not_a_reply, make_reply(q, {txt("real")})};
  });
  auto result = test::run_with<Txt>(io, {&server}, lookup_txt(name, config_for({&server})));
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(*result, std::vector<std::string>{"real"});
}

TEST(DnsResolver, MalformedReplyMovesOnToTheNextServer) {
  asio::io_context io;
  FakeDnsServer broken(io, [](ByteView q, const SeenQuery&) {
    auto reply = make_reply(q, {txt("abc")});
    reply[reply.size() - 4] = 200;  // the string's length now overruns the record
    return std::vector<Bytes>{reply};
  });
  FakeDnsServer good(io, answering({"ok"}));
  auto result = test::run_with<Txt>(io, {&broken, &good}, lookup_txt(name, config_for({&broken, &good})));
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_EQ(*result, std::vector<std::string>{"ok"});
}

TEST(DnsResolver, ClosedPortFailsFastAndMovesOn) {
  asio::io_context io;
  FakeDnsServer good(io, answering({"ok"}));
  auto config = config_for({&good}, 10s);
  // A UDP port with nothing behind it: the kernel's port-unreachable ends that try at once.
  asio::ip::udp::socket probe(io, asio::ip::udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const auto closed_port = probe.local_endpoint().port();
  probe.close();
  const Nameserver closed{asio::ip::make_address("127.0.0.1"), closed_port};
  config.nameservers.insert(config.nameservers.begin(), closed);
  const auto start = std::chrono::steady_clock::now();
  auto result = test::run_with<Txt>(io, {&good}, lookup_txt(name, config));
  ASSERT_TRUE(result) << result.error().message();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(DnsResolver, CancellingTheLookupEndsEveryWait) {
  asio::io_context io;
  FakeDnsServer quiet(io, silent);
  auto config = config_for({&quiet}, 30s);
  const auto start = std::chrono::steady_clock::now();
  auto result = test::run_with<Txt>(io, {&quiet}, with_timeout(lookup_txt(name, config), 50ms, "lookup"));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), cf::errc::timed_out);
  // run() returned, so no timer of the lookup was left behind; and well before 30 s.
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
  EXPECT_EQ(quiet.queries().size(), 1u);
}

TEST(DnsResolver, RefusesAnUnusableNameWithoutAsking) {
  asio::io_context io;
  FakeDnsServer server(io, silent);
  auto result = test::run_with<Txt>(io, {&server}, lookup_txt("bad name.com", config_for({&server})));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error(), errc::bad_query_name);
  EXPECT_TRUE(server.queries().empty());
}

}  // namespace
}  // namespace cf::p2p::dns
