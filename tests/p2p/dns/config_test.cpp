// resolv.conf nameservers.
#include "cf/p2p/dns/config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace cf::p2p::dns {
namespace {

Nameserver ns(const char* ip) { return Nameserver{asio::ip::make_address(ip), 53}; }

TEST(DnsConfig, ParsesNameserverLines) {
  const auto servers = parse_resolv_conf(
      "# generated\n"
      "search example.com\n"
      "options timeout:1 attempts:3 ndots:2\n"
      "nameserver 10.0.0.1\n"
      "  nameserver\t2001:db8::53   # trailing words are ignored\r\n"
      "; nameserver 10.9.9.9\n"
      "nameserverx 10.0.0.2\n"
      "nameserver not-an-ip\n"
      "nameserver\n"
      "nameserver 127.0.0.53");
  EXPECT_EQ(servers, (std::vector<Nameserver>{ns("10.0.0.1"), ns("2001:db8::53"), ns("127.0.0.53")}));
  EXPECT_EQ(servers[1].to_string(), "[2001:db8::53]:53");
  EXPECT_EQ(servers[0].to_string(), "10.0.0.1:53");
}

TEST(DnsConfig, KeepsAtMostThreeLikeGlibc) {
  const auto servers =
      parse_resolv_conf("nameserver 1.1.1.1\nnameserver 2.2.2.2\nnameserver 3.3.3.3\nnameserver 4.4.4.4\n");
  EXPECT_EQ(servers, (std::vector<Nameserver>{ns("1.1.1.1"), ns("2.2.2.2"), ns("3.3.3.3")}));
}

TEST(DnsConfig, NoNameserverMeansLoopback) {
  EXPECT_TRUE(parse_resolv_conf("search example.com\n").empty());
  EXPECT_EQ(system_nameservers("/nonexistent/resolv.conf"), std::vector<Nameserver>{ns("127.0.0.1")});
  const std::string path = ::testing::TempDir() + "dns_config_test_resolv.conf";
  {
    std::ofstream(path) << "nameserver ::1\n";
  }
  EXPECT_EQ(system_nameservers(path), std::vector<Nameserver>{ns("::1")});
  std::remove(path.c_str());
}

TEST(DnsConfig, DefaultsMatchTheDocumentedBounds) {
  const Config config;
  EXPECT_EQ(config.max_depth, 4u);
  EXPECT_EQ(config.max_addresses, 100u);
  EXPECT_EQ(config.try_timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(config.attempts, 2);
  EXPECT_FALSE(system_config().nameservers.empty());
}

}  // namespace
}  // namespace cf::p2p::dns
