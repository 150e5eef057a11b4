// libFuzzer entry points for gossipsub (see fuzz_entry.hpp).
#include "gossipsub/fuzz_entry.hpp"

#include <chrono>
#include <cstdlib>
#include <limits>

#include "cf/p2p/conn/frames.hpp"
#include "cf/p2p/gossipsub/router.hpp"
#include "cf/p2p/gossipsub/signature.hpp"

namespace cf::p2p::gossipsub {
namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

bool same_ids(const std::vector<MessageId>& a, const std::vector<MessageId>& b) { return a == b; }

// Equality of two decoded RPCs as the encoder preserves them (PX entries are not re-encoded).
bool same_rpc(const Rpc& a, const Rpc& b) {
  if (a.subscriptions.size() != b.subscriptions.size() || a.publish.size() != b.publish.size()) return false;
  for (std::size_t i = 0; i < a.subscriptions.size(); ++i) {
    if (a.subscriptions[i].subscribe != b.subscriptions[i].subscribe ||
        a.subscriptions[i].topic != b.subscriptions[i].topic) {
      return false;
    }
  }
  for (std::size_t i = 0; i < a.publish.size(); ++i) {
    if (a.publish[i].raw != b.publish[i].raw) return false;
  }
  const ControlMessage& x = a.control;
  const ControlMessage& y = b.control;
  if (x.ihave.size() != y.ihave.size() || x.iwant.size() != y.iwant.size() ||
      x.graft.size() != y.graft.size() || x.prune.size() != y.prune.size() ||
      x.idontwant.size() != y.idontwant.size()) {
    return false;
  }
  for (std::size_t i = 0; i < x.ihave.size(); ++i) {
    if (x.ihave[i].topic != y.ihave[i].topic || !same_ids(x.ihave[i].ids, y.ihave[i].ids)) return false;
  }
  for (std::size_t i = 0; i < x.iwant.size(); ++i) {
    if (!same_ids(x.iwant[i].ids, y.iwant[i].ids)) return false;
  }
  for (std::size_t i = 0; i < x.graft.size(); ++i) {
    if (x.graft[i].topic != y.graft[i].topic) return false;
  }
  for (std::size_t i = 0; i < x.prune.size(); ++i) {
    if (x.prune[i].topic != y.prune[i].topic || x.prune[i].backoff != y.prune[i].backoff) return false;
  }
  for (std::size_t i = 0; i < x.idontwant.size(); ++i) {
    if (!same_ids(x.idontwant[i].ids, y.idontwant[i].ids)) return false;
  }
  return true;
}

void check_round_trip(ByteView input) {
  auto rpc = decode_rpc(input);
  if (!rpc) return;
  RpcLimits unbounded_size;
  unbounded_size.max_size = std::numeric_limits<std::size_t>::max();
  auto again = decode_rpc(encode_rpc(*rpc), unbounded_size);
  require(again.has_value());
  require(same_rpc(*rpc, *again));
}

void check_output(Router& router) {
  for (const auto& out : router.take_output()) {
    require(out.rpc.size() <= max_rpc_size);
    require(decode_rpc(out.rpc).has_value());
  }
  while (router.next_delivery()) {
  }
}

const identity::Ed25519Keypair& fuzz_key(std::uint8_t n) {
  static const identity::Ed25519Keypair keys[] = {
      *identity::Ed25519Keypair::from_seed(Bytes(32, 1)),
      *identity::Ed25519Keypair::from_seed(Bytes(32, 2)),
  };
  return keys[n];
}

}  // namespace

int fuzz_gossipsub_rpc(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  check_round_trip(input);

  RouterConfig config;
  config.d = 3;
  config.d_lo = 2;
  config.d_hi = 5;
  config.max_queued_bytes_per_peer = 1 << 20;
  const PeerId peer = fuzz_key(1).public_key().peer_id();
  Router router(fuzz_key(0).public_key().peer_id(), config);
  auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  router.subscribe("t", now);
  router.subscribe("fzhnp2UwTBkgNabrJi1VanzwgN", now);  // the seeds' cluster topic
  router.set_priority_peers({peer}, now);
  require(router.add_peer(peer, protocol_v12, now).has_value());
  (void)router.publish(fuzz_key(0), "t", Bytes{1, 2, 3}, now);
  check_output(router);

  FrameReader frames(max_rpc_size);
  if (!frames.feed(input)) return 0;
  while (auto rpc = frames.next()) {
    (void)router.on_rpc(peer, *rpc, now);
    check_output(router);
    now += std::chrono::seconds(7);
    router.heartbeat(now);
    check_output(router);
  }
  return 0;
}

int fuzz_gossipsub_signed(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  if (auto rpc = decode_rpc(input)) {
    for (const auto& m : rpc->publish) (void)verify_message(m);
  }
  if (auto m = decode_message(input)) (void)verify_message(*m);

  // A genuine message whose topic, data and seqno come from the input.
  const std::size_t topic_size = size > 0 ? data[0] % 32 : 0;
  const ByteView rest = input.subspan(std::min(size, std::size_t{1}));
  const std::string topic = to_string(rest.first(std::min(topic_size, rest.size())));
  const ByteView body = rest.subspan(std::min(topic_size, rest.size()));
  auto genuine = sign_message(fuzz_key(0), topic, Bytes(body.begin(), body.end()), size);
  require(genuine.has_value());
  auto parsed = decode_message(genuine->raw);
  require(parsed.has_value());
  auto author = verify_message(*parsed);
  require(author.has_value() && *author == fuzz_key(0).public_key().peer_id());

  const Bytes& raw = genuine->raw;
  for (std::size_t i = 0; i + 1 < size && i < 32; i += 2) {
    Bytes changed = raw;
    const std::size_t at = (std::size_t{data[i]} * 257 + i) % changed.size();
    const std::uint8_t mask = data[i + 1] == 0 ? 0x01 : data[i + 1];
    changed[at] ^= mask;
    if (auto m = decode_message(changed)) require(!verify_message(*m).has_value());
  }
  const std::size_t cut = size == 0 ? 0 : (std::size_t{data[size - 1]} * 31) % raw.size();
  if (auto m = decode_message(ByteView(raw).first(cut))) require(!verify_message(*m).has_value());
  return 0;
}

}  // namespace cf::p2p::gossipsub
