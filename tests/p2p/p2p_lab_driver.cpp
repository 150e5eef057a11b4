// cf_p2p_lab_driver: drives the host against real go-libp2p daemons in the lab.
//   dial <multiaddr-with-p2p> [--psk-hex H | --swarm-key FILE] [--pings N] [--hold S]
//   listen <multiaddr> [--psk-hex H | --swarm-key FILE] [--pings N] [--hold S] [--wait S]
//       waits up to --wait seconds (default 60) for the first inbound connection, then pings
//       it and holds it like dial does
//   send <multiaddr-with-p2p> --protocol P --bytes N [--psk-hex H | --swarm-key FILE]
//       opens one stream with protocol P, writes N bytes, half-closes and waits for the
//       peer's EOF; prints SENT with seconds and this process's CPU time (the p2p benchmark)
//   sink <multiaddr> --protocol P --streams N [--psk-hex H | --swarm-key FILE]
//       listens; reads each inbound stream of protocol P to its end and prints RECEIVED with
//       its bytes, seconds (first byte to EOF) and this process's CPU time; exits after N
// Output lines start with a word (LOCAL, LISTEN, CONNECTED, INBOUND, AGENT, PROTOCOL, PING,
// HOLD, SENT, RECEIVED, DONE, ERROR) for the lab scripts to grep.
// Exit status: 0 on success, 1 on a failed dial/identify/ping/send or a dropped held
// connection, 2 on bad arguments.
#include <sys/resource.h>

#include <algorithm>
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
#include "cf/p2p/conn/errc.hpp"
#include "cf/p2p/host/host.hpp"
#include "cf/p2p/identify/service.hpp"
#include "cf/p2p/ping/service.hpp"

namespace {

namespace mf = cf::multiformats;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using ConnectionPtr = std::shared_ptr<cf::p2p::Connection>;

struct Args {
  std::string command;
  std::string address;
  std::optional<cf::p2p::pnet::Psk> psk;
  int pings = 3;
  int hold = 0;
  int wait = 60;
  std::string protocol;
  std::uint64_t bytes = 0;
  int streams = 1;
  std::string error;
};

std::optional<cf::p2p::pnet::Psk> read_psk(const std::string& flag, const std::string& value, std::string& error) {
  auto psk = [&] {
    if (flag == "--psk-hex") return cf::p2p::pnet::parse_psk(value);
    std::ifstream in(value);
    std::stringstream text;
    text << in.rdbuf();
    return cf::p2p::pnet::parse_swarm_key(text.str());
  }();
  if (psk) return *psk;
  error = flag + " " + value + ": " + psk.error().message();
  return std::nullopt;
}

Args parse(int argc, char** argv) {
  Args a;
  if (argc < 3) {
    a.error = "usage: dial|listen|send <multiaddr> [options]";
    return a;
  }
  a.command = argv[1];
  a.address = argv[2];
  if (a.command != "dial" && a.command != "listen" && a.command != "send" && a.command != "sink") {
    a.error = "unknown command " + a.command;
  }
  for (int i = 3; i + 1 < argc && a.error.empty(); i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--hold") a.hold = std::stoi(value);
    else if (flag == "--pings") a.pings = std::stoi(value);
    else if (flag == "--wait") a.wait = std::stoi(value);
    else if (flag == "--protocol") a.protocol = value;
    else if (flag == "--bytes") a.bytes = std::stoull(value);
    else if (flag == "--streams") a.streams = std::stoi(value);
    else if (flag == "--psk-hex" || flag == "--swarm-key") a.psk = read_psk(flag, value, a.error);
    else a.error = "unknown option " + flag;
  }
  if (a.command == "send" && (a.protocol.empty() || a.bytes == 0)) a.error = "send needs --protocol and --bytes";
  if (a.command == "sink" && (a.protocol.empty() || a.streams < 1)) a.error = "sink needs --protocol and --streams";
  return a;
}

// The host with the services every command uses.
struct Node {
  Node(asio::io_context& io, cf::p2p::HostConfig config) : host(io.get_executor(), std::move(config)) {}
  cf::p2p::Host host;
  cf::p2p::identify::Service identify{host};
  cf::p2p::ping::Service ping{host};
};

long micros(std::chrono::nanoseconds d) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::microseconds>(d).count());
}

// Waits for identify of `c`, then prints what it told us; false when identify failed.
cf::Task<bool> identify_and_print(Node& node, const ConnectionPtr& c) {
  auto identified = co_await node.identify.wait_identified(c);
  if (!identified) {
    std::cout << "ERROR identify failed: " << identified.error().message() << std::endl;
    co_return false;
  }
  const auto* record = node.host.peers().find(c->remote_peer());
  const auto& info = record->identify;
  std::cout << "AGENT " << info->agent_version.value_or("") << std::endl;
  for (const auto& p : info->protocols) std::cout << "PROTOCOL " << p << std::endl;
  co_return true;
}

// Pings `pings` times, then holds the connection for `seconds`, pinging every 10 s and
// failing as soon as the connection closes.
cf::Task<int> ping_and_hold(Node& node, ConnectionPtr connection, int pings, int seconds) {
  auto& host = node.host;
  auto peer = connection->remote_peer();
  for (int i = 0; i < pings; ++i) {
    auto rtt = co_await node.ping.ping(peer);
    if (!rtt) { std::cout << "ERROR ping: " << rtt.error().message() << std::endl; co_return 1; }
    std::cout << "PING rtt_us=" << micros(*rtt) << std::endl;
  }
  auto held = Clock::now();
  auto until = held + std::chrono::seconds(seconds);
  while (Clock::now() < until) {
    co_await cf::detail::sleep_for(std::min<Clock::duration>(10s, until - Clock::now()));
    if (connection->is_closed()) {
      std::cout << "ERROR connection dropped: " << connection->close_reason()->message() << std::endl;
      co_return 1;
    }
    if (host.connection(peer) != connection) {
      std::cout << "ERROR the held connection was replaced" << std::endl;
      co_return 1;
    }
    auto rtt = co_await node.ping.ping(peer);
    if (!rtt) { std::cout << "ERROR ping while holding: " << rtt.error().message() << std::endl; co_return 1; }
    auto secs = std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - held).count();
    std::cout << "HOLD t=" << secs << "s rtt_us=" << micros(*rtt) << std::endl;
  }
  std::cout << "DONE" << std::endl;
  co_return 0;
}

cf::Task<cf::Result<ConnectionPtr>> dial_and_print(cf::p2p::Host& host, const Args& args) {
  auto address = mf::Multiaddr::parse(args.address);
  if (!address) co_return address.error();
  std::cout << "LOCAL " << host.id().to_string() << std::endl;
  auto connection = co_await host.connect(*address);
  if (!connection) co_return connection.error();
  std::cout << "CONNECTED " << (*connection)->remote_peer().to_string() << std::endl;
  co_return *connection;
}

cf::Task<int> dial(Node& node, const Args& args) {
  auto connection = co_await dial_and_print(node.host, args);
  if (!connection) { std::cout << "ERROR dial: " << connection.error().message() << std::endl; co_return 1; }
  if (!co_await identify_and_print(node, *connection)) co_return 1;
  co_return co_await ping_and_hold(node, *connection, args.pings, args.hold);
}

cf::Task<int> listen(Node& node, const Args& args) {
  auto& host = node.host;
  for (const auto& a : host.listen_addrs()) std::cout << "LISTEN " << a.with_peer_id(host.id()).to_string() << std::endl;
  std::cout << "LOCAL " << host.id().to_string() << std::endl;
  ConnectionPtr first;
  auto subscription = host.subscribe([&first](const cf::p2p::ConnectionEvent& e) {
    if (e.kind != cf::p2p::ConnectionEventKind::connected) return;
    const auto& c = e.connection;
    std::cout << (c->outbound() ? "OUTBOUND " : "INBOUND ") << c->remote_peer().to_string() << " "
              << c->remote_addr().to_string() << std::endl;
    if (!c->outbound() && !first) first = c;
  });
  auto deadline = Clock::now() + std::chrono::seconds(args.wait);
  while (!first && Clock::now() < deadline) co_await cf::detail::sleep_for(100ms);
  if (!first) { std::cout << "ERROR no inbound connection within " << args.wait << " s" << std::endl; co_return 1; }
  if (!co_await identify_and_print(node, first)) co_return 1;
  co_return co_await ping_and_hold(node, first, args.pings, args.hold);
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

cf::Task<int> send(cf::p2p::Host& host, const Args& args) {
  auto connection = co_await dial_and_print(host, args);
  if (!connection) { std::cout << "ERROR dial: " << connection.error().message() << std::endl; co_return 1; }
  auto stream = co_await host.new_stream((*connection)->remote_peer(), args.protocol);
  if (!stream) { std::cout << "ERROR stream " << args.protocol << ": " << stream.error().message() << std::endl; co_return 1; }
  std::vector<std::uint8_t> chunk(256 * 1024);
  for (std::size_t i = 0; i < chunk.size(); ++i) chunk[i] = static_cast<std::uint8_t>(i * 131 + 7);
  auto cpu_before = cpu_seconds();
  auto started = Clock::now();
  for (std::uint64_t sent = 0; sent < args.bytes;) {
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), args.bytes - sent));
    if (auto s = co_await stream->write(cf::ByteView(chunk.data(), n)); !s) {
      std::cout << "ERROR write after " << sent << " bytes: " << s.error().message() << std::endl;
      co_return 1;
    }
    sent += n;
  }
  if (auto s = stream->close_write(); !s) { std::cout << "ERROR close: " << s.error().message() << std::endl; co_return 1; }
  // Kubo's `ipfs p2p listen` closes its TCP side once it relayed our FIN, then resets the
  // stream: EOF or a reset is the end (the sink counts the bytes that arrived).
  auto rest = co_await cf::with_timeout(cf::p2p::read_to_end(*stream, 1 << 20), 120s, "the EOF");
  if (!rest && rest.error() != cf::p2p::errc::stream_reset) { std::cout << "ERROR waiting for the peer's EOF: " << rest.error().message() << std::endl; co_return 1; }
  auto seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::cout << "SENT bytes=" << args.bytes << " seconds=" << seconds << " cpu_seconds=" << (cpu_seconds() - cpu_before)
            << std::endl;
  std::cout << "DONE" << std::endl;
  co_return 0;
}

// Reads one stream to its end, timing it from the first byte.
cf::Task<void> drain(cf::p2p::Stream stream, std::shared_ptr<int> done) {
  std::vector<std::uint8_t> buffer(256 * 1024);
  std::uint64_t total = 0;
  std::optional<Clock::time_point> first;
  double cpu_before = 0;
  for (;;) {
    auto n = co_await stream.read(buffer);
    if (!n) { std::cout << "ERROR read after " << total << " bytes: " << n.error().message() << std::endl; break; }
    if (*n == 0) break;
    if (!first) {
      first = Clock::now();
      cpu_before = cpu_seconds();
    }
    total += *n;
  }
  auto seconds = first ? std::chrono::duration<double>(Clock::now() - *first).count() : 0.0;
  std::cout << "RECEIVED bytes=" << total << " seconds=" << seconds << " cpu_seconds=" << (cpu_seconds() - cpu_before)
            << std::endl;
  (void)stream.close_write();
  ++*done;
}

cf::Task<int> sink(cf::p2p::Host& host, const Args& args) {
  auto done = std::make_shared<int>(0);  // shared: a late stream may outlive this coroutine
  host.set_handler(args.protocol, [done](cf::p2p::Stream s) { return drain(std::move(s), done); });
  for (const auto& a : host.listen_addrs()) std::cout << "LISTEN " << a.with_peer_id(host.id()).to_string() << std::endl;
  std::cout << "LOCAL " << host.id().to_string() << std::endl;
  auto deadline = Clock::now() + std::chrono::seconds(args.wait);
  while (*done < args.streams && Clock::now() < deadline) co_await cf::detail::sleep_for(50ms);
  if (*done < args.streams) {
    std::cout << "ERROR " << *done << " of " << args.streams << " streams within " << args.wait << " s" << std::endl;
    co_return 1;
  }
  std::cout << "DONE" << std::endl;
  co_return 0;
}

cf::Task<int> run(Node& node, const Args& args) {
  if (args.command == "dial") co_return co_await dial(node, args);
  if (args.command == "listen") co_return co_await listen(node, args);
  if (args.command == "sink") co_return co_await sink(node.host, args);
  co_return co_await send(node.host, args);
}

}  // namespace

int main(int argc, char** argv) {
  auto args = parse(argc, argv);
  if (!args.error.empty()) { std::cerr << args.error << std::endl; return 2; }
  std::vector<mf::Multiaddr> listen_addrs;
  if (args.command == "listen" || args.command == "sink") {
    auto a = mf::Multiaddr::parse(args.address);
    if (!a) { std::cerr << args.address << ": " << a.error().message() << std::endl; return 2; }
    listen_addrs.push_back(*a);
  }
  asio::io_context io;
  Node node(io, cf::p2p::HostConfig{.identity = cf::identity::Identity::generate(),
                                     .psk = args.psk,
                                     .listen_addrs = listen_addrs,
                                     .dial_timeout = 15s});
  if (auto s = node.host.start(); !s) { std::cerr << s.error().message() << std::endl; return 1; }
  int rc = 1;
  asio::co_spawn(io, [&]() -> cf::Task<void> {
    rc = co_await run(node, args);
    co_await node.identify.stop();
    co_await node.host.stop();
  }, asio::detached);
  io.run();
  return rc;
}
