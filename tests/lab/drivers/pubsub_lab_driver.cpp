// cf_pubsub_lab_driver: drives gossipsub and bitswap against the real daemons in the lab.
//   subscribe <peer-multiaddr> (--topic T | --cluster-name N) --trusted ID[,ID] [--psk-hex H] [--dial ADDR]...
//             [--hold S] [--fetch-heads 1]
//       keeps <peer> (and every --dial address) connected, subscribes to T with the trusted
//       peers as priority peers and as the only accepted authors, prints every delivered
//       message, fetches each announced head over bitswap from the message's author (verified,
//       decoded as dag-pb), and prints counters every 10 s; exits after S seconds.
//   fetch-dag <peer-multiaddr> --root CID [--psk-hex H] [--concurrency N] [--hold-after S]
//       fetches the DAG under CID from <peer> over bitswap, walking dag-pb links with up to N
//       blocks wanted at once (every block verified by the client), prints totals, and keeps
//       the connection S more seconds (so that the peer's ledger of us can be read).
// Output lines start with a word for the lab scripts to grep: LOCAL, CONNECTED, DISCONNECTED,
// SUBSCRIBED, MESSAGE (delivered), REJECTED (validly signed, untrusted author), HEAD,
// COUNTERS, FETCHED, DONE, ERROR. Exit status: 0 on success, 1 on a
// failure, 2 on bad arguments.
#include <sys/resource.h>

#include <algorithm>
#include <deque>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>

#include "cf/base/log.hpp"
#include "cf/cluster/topic.hpp"
#include "cf/crdt/broadcast.hpp"
#include "cf/crdt/dagpb.hpp"
#include "cf/crdt/delta.hpp"
#include "cf/crdt/keys.hpp"
#include "cf/multiformats/multicodec.hpp"
#include "cf/p2p/bitswap/service.hpp"
#include "cf/p2p/gossipsub/service.hpp"
#include "cf/p2p/host/host.hpp"
#include "cf/p2p/identify/service.hpp"
#include "cf/p2p/ping/service.hpp"

namespace {

namespace mf = cf::multiformats;
namespace gs = cf::p2p::gossipsub;
namespace bs = cf::p2p::bitswap;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

struct Args {
  std::string command;
  std::string address;
  std::optional<cf::p2p::pnet::Psk> psk;
  std::string topic;
  std::set<mf::PeerId> trusted;
  std::vector<mf::Multiaddr> dial;
  int hold = 60;
  bool fetch_heads = false;
  std::optional<mf::Cid> root;
  int concurrency = 256;
  int hold_after = 0;
  std::string error;
};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, sep);) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

void parse_flag(Args& a, const std::string& flag, const std::string& value) {
  if (flag == "--topic") {
    a.topic = value;
  } else if (flag == "--cluster-name") {
    a.topic = cf::cluster::pubsub_topic(value);
  } else if (flag == "--trusted") {
    for (const auto& text : split(value, ',')) {
      auto id = mf::PeerId::parse(text);
      if (!id) a.error = "--trusted " + text + ": " + id.error().message();
      else a.trusted.insert(*id);
    }
  } else if (flag == "--dial") {
    auto address = mf::Multiaddr::parse(value);
    if (!address) a.error = "--dial: " + address.error().message();
    else a.dial.push_back(*address);
  } else if (flag == "--psk-hex") {
    auto psk = cf::p2p::pnet::parse_psk(value);
    if (!psk) a.error = "--psk-hex: " + psk.error().message();
    else a.psk = *psk;
  } else if (flag == "--hold") {
    a.hold = std::stoi(value);
  } else if (flag == "--fetch-heads") {
    a.fetch_heads = value == "1";
  } else if (flag == "--root") {
    auto cid = mf::Cid::parse(value);
    if (!cid) a.error = "--root: " + cid.error().message();
    else a.root = *cid;
  } else if (flag == "--hold-after") {
    a.hold_after = std::stoi(value);
  } else if (flag == "--concurrency") {
    a.concurrency = std::max(1, std::stoi(value));
  } else {
    a.error = "unknown option " + flag;
  }
}

Args parse(int argc, char** argv) {
  Args a;
  if (argc < 3) {
    a.error = "usage: subscribe|fetch-dag <multiaddr> [options]";
    return a;
  }
  a.command = argv[1];
  a.address = argv[2];
  if (a.command != "subscribe" && a.command != "fetch-dag") a.error = "unknown command " + a.command;
  for (int i = 3; i + 1 < argc && a.error.empty(); i += 2) parse_flag(a, argv[i], argv[i + 1]);
  if (a.command == "subscribe" && (a.topic.empty() || a.trusted.empty())) a.error = "subscribe needs --topic and --trusted";
  if (a.command == "fetch-dag" && !a.root) a.error = "fetch-dag needs --root";
  return a;
}

double cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

long max_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

struct Node {
  Node(asio::io_context& io, const cf::identity::Identity& me, std::optional<cf::p2p::pnet::Psk> psk,
       gs::ServiceConfig pubsub)
      : host(io.get_executor(), cf::p2p::HostConfig{.identity = me, .psk = psk, .listen_addrs = {}}),
        gossipsub(host, me.keypair(), std::move(pubsub)),
        bitswap(host, nullptr) {}

  cf::p2p::Host host;
  cf::p2p::identify::Service identify{host};
  cf::p2p::ping::Service ping{host};
  gs::Service gossipsub;
  bs::Service bitswap;
  cf::TaskSet tasks{host.executor(), cf::log::get("driver")};

  cf::Task<void> stop() {
    tasks.cancel();
    co_await tasks.wait_idle();
    co_await gossipsub.stop();
    co_await bitswap.stop();
    co_await identify.stop();
    co_await host.stop();
  }
};

void print_counters(const Node& node) {
  const auto& c = node.gossipsub.router().counters();
  const auto& b = node.bitswap.client().counters();
  std::cout << "COUNTERS delivered=" << c.delivered << " untrusted=" << c.untrusted_author
            << " bad_signature=" << c.bad_signature << " duplicates=" << c.duplicates << " malformed=" << c.malformed
            << " ihave_received=" << c.ihave_received << " grafts_sent=" << c.grafts_sent
            << " prunes_received=" << c.prunes_received << " blocks=" << b.blocks_received
            << " bad_blocks=" << b.bad_blocks << std::endl;
}

// "priority=P adds=CID,CID removes=CID" from the node's go-ds-crdt delta.
std::string delta_text(const std::optional<cf::Bytes>& data) {
  if (!data) return "no-delta";
  auto delta = cf::crdt::decode_delta(*data);
  if (!delta) return "bad-delta";
  auto cids = [](const std::vector<cf::crdt::Element>& elements) {
    std::string text;
    for (const auto& e : elements) {
      auto cid = cf::crdt::pin_cid_from_key(e.key);
      if (!text.empty()) text += ',';
      text += cid ? cid->to_string() : std::string("?");
    }
    return text.empty() ? std::string("-") : text;
  };
  return "priority=" + std::to_string(delta->priority) + " adds=" + cids(delta->elements) +
         " removes=" + cids(delta->tombstones);
}

cf::Task<void> fetch_head(Node& node, mf::Cid head, mf::PeerId author) {
  auto block = co_await cf::with_timeout(node.bitswap.get(head, author), 30s, "fetching " + head.to_string());
  if (!block) {
    std::cout << "ERROR head " << head.to_string() << ": " << block.error().message() << std::endl;
    co_return;
  }
  auto decoded = cf::crdt::decode_dagpb(*block);
  if (!decoded) {
    std::cout << "ERROR head " << head.to_string() << " is not dag-pb: " << decoded.error().message() << std::endl;
    co_return;
  }
  std::cout << "HEAD " << head.to_string() << " bytes=" << block->size() << " links=" << decoded->links.size()
            << " " << delta_text(decoded->data) << std::endl;
}

// The heads a CRDT broadcast announces, comma-separated.
std::string heads_text(const cf::Bytes& data) {
  auto heads = cf::crdt::decode_broadcast(data);
  if (!heads) return "undecodable";
  std::string text;
  for (const auto& h : *heads) {
    if (!text.empty()) text += ',';
    text += h.to_string();
  }
  return text;
}

void on_message(Node& node, const Args& args, const gs::Delivery& d) {
  auto heads = cf::crdt::decode_broadcast(d.message.data);
  std::cout << "MESSAGE author=" << d.author.to_string() << " from=" << d.received_from.to_string()
            << " heads=" << heads_text(d.message.data) << std::endl;
  if (!args.fetch_heads || !heads) return;
  for (const auto& head : *heads) node.tasks.spawn(fetch_head(node, head, d.author), "fetch head");
}

// Prints SUBSCRIBED once per (peer, connection) when the peer's hello lists the topic.
void report_subscriptions(const Node& node, const std::string& topic, std::set<std::string>& reported) {
  for (const auto& info : node.gossipsub.router().peers()) {
    for (const auto& t : info.topics) {
      if (t.topic != topic || !t.subscribed) continue;
      auto key = info.peer.to_string();
      if (reported.insert(key).second) {
        std::cout << "SUBSCRIBED " << key << " protocol=" << info.protocol << std::endl;
      }
    }
  }
}

cf::Task<int> subscribe(Node& node, const Args& args) {
  auto peer = mf::Multiaddr::parse(args.address);
  if (!peer) co_return 2;
  std::set<std::string> reported;
  auto events = node.host.subscribe([&reported](const cf::p2p::ConnectionEvent& e) {
    const auto id = e.connection->remote_peer().to_string();
    if (e.kind == cf::p2p::ConnectionEventKind::connected) std::cout << "CONNECTED " << id << std::endl;
    if (e.kind == cf::p2p::ConnectionEventKind::disconnected) {
      std::cout << "DISCONNECTED " << id << std::endl;
      reported.erase(id);
    }
  });
  auto trusted = args.trusted;
  node.gossipsub.set_validator(args.topic, [trusted](const mf::PeerId& author, const gs::Message& m) {
    if (trusted.count(author)) return gs::Verdict::accept;
    std::cout << "REJECTED author=" << author.to_string() << " heads=" << heads_text(m.data) << std::endl;
    return gs::Verdict::reject;
  });
  node.gossipsub.set_priority_peers(args.trusted);
  node.gossipsub.on_delivery([&node, &args](const gs::Delivery& d) { on_message(node, args, d); });
  node.gossipsub.subscribe(args.topic);
  std::vector<mf::Multiaddr> keep{*peer};
  keep.insert(keep.end(), args.dial.begin(), args.dial.end());
  node.host.keep_connected(keep);
  const auto until = Clock::now() + std::chrono::seconds(args.hold);
  auto next_counters = Clock::now() + 10s;
  while (Clock::now() < until) {
    co_await cf::detail::sleep_for(250ms);
    report_subscriptions(node, args.topic, reported);
    if (Clock::now() >= next_counters) {
      print_counters(node);
      next_counters += 10s;
    }
  }
  print_counters(node);
  std::cout << "DONE" << std::endl;
  co_return 0;
}

// Walks the DAG breadth-first with up to `concurrency` blocks wanted at once.
struct DagWalk {
  Node& node;
  mf::PeerId peer;
  std::deque<mf::Cid> queue{};
  std::set<mf::Cid> seen{};
  std::size_t running = 0;
  std::uint64_t blocks = 0;
  std::uint64_t bytes = 0;
  std::optional<std::string> error{};
  cf::Signal progress{node.host.executor()};

  cf::Task<void> fetch(mf::Cid cid) {
    auto block = co_await cf::with_timeout(node.bitswap.get(cid, peer), 60s, "fetching " + cid.to_string());
    --running;
    if (!block) {
      error = block.error().message();
    } else {
      ++blocks;
      bytes += block->size();
      if (cid.codec() == cf::multiformats::multicodec::dag_pb) {
        auto node_links = cf::crdt::decode_dagpb(*block);
        if (!node_links) error = cid.to_string() + " is not dag-pb: " + node_links.error().message();
        else
          for (const auto& link : node_links->links)
            if (seen.insert(link.cid).second) queue.push_back(link.cid);
      }
    }
    progress.notify();
  }
};

cf::Task<int> fetch_dag(Node& node, const Args& args, std::size_t concurrency) {
  auto peer = mf::Multiaddr::parse(args.address);
  if (!peer) co_return 2;
  node.host.keep_connected({*peer});
  for (int i = 0; i < 300 && node.bitswap.peer_count() == 0; ++i) co_await cf::detail::sleep_for(100ms);
  if (node.bitswap.peer_count() == 0) {
    std::cout << "ERROR no bitswap peer after 30 s" << std::endl;
    co_return 1;
  }
  std::cout << "CONNECTED " << peer->peer_id()->to_string() << std::endl;
  DagWalk walk{node, *peer->peer_id()};
  walk.queue.push_back(*args.root);
  walk.seen.insert(*args.root);
  const auto cpu_before = cpu_seconds();
  const auto started = Clock::now();
  while (!walk.error && (!walk.queue.empty() || walk.running > 0)) {
    while (!walk.queue.empty() && walk.running < concurrency) {
      ++walk.running;
      node.tasks.spawn(walk.fetch(walk.queue.front()), "fetch block");
      walk.queue.pop_front();
    }
    co_await walk.progress.wait();
  }
  // The fetches reference `walk`: none may outlive it.
  node.tasks.cancel();
  co_await node.tasks.wait_idle();
  if (walk.error) {
    std::cout << "ERROR " << *walk.error << std::endl;
    co_return 1;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  std::cout << "FETCHED blocks=" << walk.blocks << " bytes=" << walk.bytes << " seconds=" << seconds
            << " cpu_seconds=" << (cpu_seconds() - cpu_before) << " max_rss_kib=" << max_rss_kib() << std::endl;
  print_counters(node);
  co_await cf::detail::sleep_for(std::chrono::seconds(args.hold_after));
  std::cout << "DONE" << std::endl;
  co_return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto args = parse(argc, argv);
  if (!args.error.empty()) {
    std::cerr << args.error << std::endl;
    return 2;
  }
  asio::io_context io;
  gs::ServiceConfig pubsub;
  pubsub.router.first_seqno = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count());
  Node node(io, cf::identity::Identity::generate(), args.psk, pubsub);
  std::cout << "LOCAL " << node.host.id().to_string() << std::endl;
  node.gossipsub.start();
  node.bitswap.start();
  int rc = 1;
  asio::co_spawn(io, [&]() -> cf::Task<void> {
    rc = args.command == "subscribe" ? co_await subscribe(node, args)
                                      : co_await fetch_dag(node, args, static_cast<std::size_t>(args.concurrency));
    co_await node.stop();
  }, asio::detached);
  io.run();
  return rc;
}
