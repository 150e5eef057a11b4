// cf_p2p_lab_driver: drives the host against real go-libp2p daemons in the lab.
//   dial <multiaddr-with-p2p> [--psk-hex H | --swarm-key FILE] [--pings N] [--hold S]
//   listen <multiaddr> [--psk-hex H | --swarm-key FILE] --hold S
// Exit status: 0 on success, 1 on a failed dial/identify/ping or a dropped held connection.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include "cf/base/log.hpp"
#include "cf/p2p/host/host.hpp"

namespace {

namespace mf = cf::multiformats;
using namespace std::chrono_literals;

struct Args {
  std::string command;
  std::string address;
  std::optional<cf::p2p::pnet::Psk> psk;
  int pings = 3;
  int hold = 0;
  std::string error;
};

Args parse(int argc, char** argv) {
  Args a;
  if (argc < 3) {
    a.error = "usage: dial|listen <multiaddr> [options]";
    return a;
  }
  a.command = argv[1];
  a.address = argv[2];
  for (int i = 3; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--hold") a.hold = std::stoi(value);
    else if (flag == "--pings") a.pings = std::stoi(value);
    else if (flag == "--psk-hex") {
      auto psk = cf::p2p::pnet::parse_psk(value);
      if (!psk) a.error = psk.error().message();
      else a.psk = *psk;
    } else if (flag == "--swarm-key") {
      std::ifstream in(value);
      std::stringstream text;
      text << in.rdbuf();
      auto psk = cf::p2p::pnet::parse_swarm_key(text.str());
      if (!psk) a.error = psk.error().message();
      else a.psk = *psk;
    } else a.error = "unknown option " + flag;
  }
  return a;
}

cf::Task<int> dial(cf::p2p::Host& host, const Args& args) {
  auto address = mf::Multiaddr::parse(args.address);
  if (!address) { std::cout << "ERROR bad address: " << address.error().message() << std::endl; co_return 1; }
  std::cout << "LOCAL " << host.id().to_string() << std::endl;
  auto connection = co_await host.connect(*address);
  if (!connection) { std::cout << "ERROR dial: " << connection.error().message() << std::endl; co_return 1; }
  auto peer = (*connection)->remote_peer();
  std::cout << "CONNECTED " << peer.to_string() << std::endl;
  const auto& info = (*connection)->remote_info();
  if (!info) { std::cout << "ERROR identify failed" << std::endl; co_return 1; }
  std::cout << "AGENT " << info->agent_version.value_or("") << std::endl;
  for (const auto& p : info->protocols) std::cout << "PROTOCOL " << p << std::endl;
  for (int i = 0; i < args.pings; ++i) {
    auto rtt = co_await host.ping(peer);
    if (!rtt) { std::cout << "ERROR ping: " << rtt.error().message() << std::endl; co_return 1; }
    std::cout << "PING rtt_us=" << std::chrono::duration_cast<std::chrono::microseconds>(*rtt).count() << std::endl;
  }
  auto held = std::chrono::steady_clock::now();
  auto until = held + std::chrono::seconds(args.hold);
  while (std::chrono::steady_clock::now() < until) {
    co_await cf::detail::sleep_for(std::min<std::chrono::steady_clock::duration>(10s, until - std::chrono::steady_clock::now()));
    if ((*connection)->is_closed()) {
      std::cout << "ERROR connection dropped: " << (*connection)->close_reason()->message() << std::endl;
      co_return 1;
    }
    auto rtt = co_await host.ping(peer);
    if (!rtt) { std::cout << "ERROR ping while holding: " << rtt.error().message() << std::endl; co_return 1; }
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - held).count();
    std::cout << "HOLD t=" << secs << "s rtt_us=" << std::chrono::duration_cast<std::chrono::microseconds>(*rtt).count()
              << std::endl;
  }
  std::cout << "DONE" << std::endl;
  co_return 0;
}

cf::Task<int> listen(cf::p2p::Host& host, const Args& args) {
  for (const auto& a : host.listen_addrs()) std::cout << "LISTEN " << a.with_peer_id(host.id()).to_string() << std::endl;
  std::cout << "PEERID " << host.id().to_string() << std::endl;
  host.set_connection_observer([](const std::shared_ptr<cf::p2p::Connection>& c) {
    std::cout << (c->outbound() ? "OUTBOUND " : "INBOUND ") << c->remote_peer().to_string() << " "
              << c->remote_addr().to_string();
    if (c->remote_info()) std::cout << " agent=" << c->remote_info()->agent_version.value_or("");
    std::cout << std::endl;
  });
  co_await cf::detail::sleep_for(std::chrono::seconds(args.hold));
  std::cout << "DONE" << std::endl;
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto args = parse(argc, argv);
  if (!args.error.empty()) { std::cerr << args.error << std::endl; return 2; }
  std::vector<mf::Multiaddr> listen_addrs;
  if (args.command == "listen") {
    auto a = mf::Multiaddr::parse(args.address);
    if (!a) { std::cerr << a.error().message() << std::endl; return 2; }
    listen_addrs.push_back(*a);
  }
  asio::io_context io;
  cf::p2p::Host host(io.get_executor(), cf::p2p::HostConfig{.identity = cf::identity::Identity::generate(),
                                                            .psk = args.psk,
                                                            .listen_addrs = listen_addrs,
                                                            .dial_timeout = 15s,
                                                            .identify_timeout = 10s});
  if (auto s = host.start(); !s) { std::cerr << s.error().message() << std::endl; return 1; }
  int rc = 1;
  asio::co_spawn(io, [&]() -> cf::Task<void> {
    rc = args.command == "dial" ? co_await dial(host, args) : co_await listen(host, args);
    co_await host.stop();
  }, asio::detached);
  io.run();
  return rc;
}
