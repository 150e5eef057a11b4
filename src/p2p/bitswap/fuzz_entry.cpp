// fuzz_bitswap_message: hostile bytes into the codec, Client and Server (see the header).
#include "bitswap/fuzz_entry.hpp"

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <unordered_map>

#include "cf/p2p/bitswap/client.hpp"
#include "cf/p2p/bitswap/message.hpp"
#include "cf/p2p/bitswap/server.hpp"
#include "cf/p2p/bitswap/verify.hpp"

namespace cf::p2p::bitswap {
namespace {

namespace mf = cf::multiformats;

void check(bool condition) {
  if (!condition) std::abort();
}

// Holds the blocks it was given, and makes up a block for any multihash whose last digest
// byte is below 0x60 (its size from that byte), so that fuzzed want lists find some. The
// Server trusts its store, so made-up bytes need not hash to their key.
class FuzzStore : public BlockStore {
 public:
  void put(const mf::Multihash& hash, Bytes data) { blocks_[hash] = std::move(data); }

  std::optional<Bytes> get(const mf::Multihash& hash) const override {
    if (const auto found = blocks_.find(hash); found != blocks_.end()) return found->second;
    const auto digest = hash.digest();
    if (digest.empty() || digest.back() >= 0x60) return std::nullopt;
    return Bytes(std::size_t{digest.back()} * 37, 0xab);
  }
  bool has(const mf::Multihash& hash) const override { return get(hash).has_value(); }

 private:
  std::unordered_map<mf::Multihash, Bytes> blocks_;
};

const mf::PeerId& peer_a() {
  static const auto id = *mf::PeerId::parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
  return id;
}
const mf::PeerId& peer_b() {
  static const auto id = *mf::PeerId::parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
  return id;
}

// Every output message decodes, and stays within `max_size` unless it holds a single item.
void check_output(const std::vector<Outgoing>& out, std::size_t max_size) {
  for (const auto& o : out) {
    const Bytes bytes = encode_message(o.message);
    check(bytes.size() == encoded_size(o.message));
    const std::size_t items = o.message.wantlist.size() + o.message.payload.size() +
                              o.message.presences.size();
    check(bytes.size() <= max_size || items == 1);
    auto again = decode_message(bytes);
    check(again.has_value() && *again == o.message);
  }
}

void check_codec(const Message& m) {
  const Bytes bytes = encode_message(m);
  check(bytes.size() == encoded_size(m));
  auto again = decode_message(bytes, Limits{.max_message_size = SIZE_MAX});
  check(again.has_value() && *again == m);
  const auto parts = split_message(m, 300);
  Message joined;
  joined.full = m.full;
  for (const auto& part : parts) {
    const std::size_t items = part.wantlist.size() + part.payload.size() + part.presences.size();
    check(encoded_size(part) <= 300 || items == 1);
    joined.wantlist.insert(joined.wantlist.end(), part.wantlist.begin(), part.wantlist.end());
    joined.payload.insert(joined.payload.end(), part.payload.begin(), part.payload.end());
    joined.presences.insert(joined.presences.end(), part.presences.begin(), part.presences.end());
  }
  joined.pending_bytes = parts.back().pending_bytes;
  check(joined == m);
}

void drive_client(const Message& m) {
  const ClientConfig config{.max_in_flight = 4,
                            .max_in_flight_per_peer = 3,
                            .max_held_bytes = 4096,
                            .max_message_size = 300};
  Client client(config);
  client.add_peer(peer_a());
  client.add_peer(peer_b());
  std::size_t n = 0;
  for (const auto& e : m.wantlist) {
    if (n++ < 16) (void)client.want(e.cid, n % 2 ? peer_a() : peer_b());
  }
  for (const auto& p : m.presences) {
    if (n++ < 32) (void)client.want(p.cid);
  }
  for (const auto& b : m.payload) {
    auto cid = verify_block(b.prefix, b.data);
    if (cid && n++ < 48) (void)client.want(cid->to_v1());
  }
  auto now = std::chrono::steady_clock::time_point{};
  for (int round = 0; round < 4; ++round) {
    check_output(client.take_output(now), config.max_message_size);
    check(client.in_flight() <= config.max_in_flight);
    check(client.in_flight(peer_a()) <= config.max_in_flight_per_peer);
    check(client.in_flight(peer_b()) <= config.max_in_flight_per_peer);
    (void)client.on_message(round % 2 ? peer_b() : peer_a(), m);
    while (auto block = client.next_block()) {
      check(verify_block(block->cid, block->data).has_value());
      client.release(block->data.size());
    }
    now += std::chrono::seconds(20 * (round + 1));
    client.on_tick(now);
    if (round == 2) client.remove_peer(peer_a());
  }
  for (const auto& e : m.wantlist) client.cancel(e.cid);
  check_output(client.take_output(now), config.max_message_size);
}

void drive_server(const Message& m) {
  const ServerConfig config{.max_ledger_entries = 8, .max_message_size = 2048,
                            .max_output_per_peer = 4096};
  Server server(config);
  FuzzStore store;
  for (const auto& b : m.payload) {
    if (auto cid = verify_block(b.prefix, b.data)) store.put(cid->hash(), b.data);
  }
  server.on_message(peer_a(), m);
  server.on_message(peer_b(), m);
  check(server.ledger_size(peer_a()) <= config.max_ledger_entries);
  for (int round = 0; round < 3 && server.has_output(); ++round) {
    check_output(server.take_output(store), config.max_message_size);
  }
  for (const auto& e : m.wantlist) server.on_block_added(e.cid);
  server.remove_peer(peer_b());
  check_output(server.take_output(store), config.max_message_size);
}

}  // namespace
}  // namespace cf::p2p::bitswap

int fuzz_bitswap_message(const std::uint8_t* data, std::size_t size) {
  namespace bs = cf::p2p::bitswap;
  const cf::ByteView input(data, size);
  (void)bs::decode_message(input, bs::Limits{.max_entries = 3, .max_blocks = 2, .max_presences = 3});
  auto message = bs::decode_message(input);
  if (!message) return 0;
  bs::check_codec(*message);
  bs::drive_client(*message);
  bs::drive_server(*message);
  return 0;
}
