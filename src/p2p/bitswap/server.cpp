// The bitswap server's decisions (see server.hpp for the behaviour it follows).
#include "cf/p2p/bitswap/server.hpp"

#include <algorithm>

#include "cf/p2p/bitswap/verify.hpp"

namespace cf::p2p::bitswap {
namespace {

namespace mf = cf::multiformats;

// Room kept in a message for everything but one block (a message tag and length, pending).
constexpr std::size_t message_overhead = 32;

ServerConfig sanitized(ServerConfig c) {
  c.max_ledger_entries = std::max<std::size_t>(c.max_ledger_entries, 1);
  c.max_message_size = std::max<std::size_t>(c.max_message_size, 1);
  c.max_output_per_peer = std::max<std::size_t>(c.max_output_per_peer, 1);
  return c;
}

}  // namespace

Server::Server(ServerConfig config) : config_(sanitized(config)) {}

void Server::on_message(const mf::PeerId& from, const Message& message) {
  if (message.wantlist.empty() && !message.full) return;
  Ledger& ledger = ledgers_[from];
  if (message.full) clear_ledger(from, ledger);
  for (const auto& entry : message.wantlist) {
    if (entry.cid.hash().code() == hash_code::identity) {
      ++counters_.ignored_entries;
    } else if (entry.cancel) {
      on_cancel(from, ledger, entry.cid);
    } else {
      on_want(from, ledger, entry);
    }
  }
  if (ledger.wants.empty()) ledgers_.erase(from);
}

void Server::on_want(const mf::PeerId& peer, Ledger& ledger, const WantEntry& entry) {
  ++counters_.wants_received;
  auto it = ledger.wants.find(entry.cid);
  if (it == ledger.wants.end()) {
    if (ledger.wants.size() >= config_.max_ledger_entries) {
      ++counters_.ledger_evictions;
      erase_entry(peer, ledger, ledger.wants.find(ledger.order.begin()->second));
    }
    it = ledger.wants.emplace(entry.cid, Entry{}).first;
    wanted_by_[entry.cid.hash()].emplace(peer, entry.cid);
  } else {
    // Asked again: a new answer, and the want becomes the newest.
    ledger.order.erase(it->second.seq);
    ledger.unanswered.erase(it->second.seq);
  }
  Entry& e = it->second;
  e.type = entry.type;
  e.priority = entry.priority;
  e.send_dont_have = entry.send_dont_have;
  e.dont_have_sent = false;
  e.seq = next_seq_++;
  ledger.order.emplace(e.seq, entry.cid);
  ledger.unanswered.insert(e.seq);
}

void Server::on_cancel(const mf::PeerId& peer, Ledger& ledger, const mf::Cid& cid) {
  ++counters_.cancels_received;
  if (const auto it = ledger.wants.find(cid); it != ledger.wants.end()) erase_entry(peer, ledger, it);
}

void Server::on_block_added(const mf::Cid& cid) {
  const auto found = wanted_by_.find(cid.hash());
  if (found == wanted_by_.end()) return;
  for (const auto& [peer, wanted] : found->second) {
    Ledger& ledger = ledgers_.at(peer);
    ledger.unanswered.insert(ledger.wants.at(wanted).seq);
  }
}

void Server::remove_peer(const mf::PeerId& peer) {
  const auto found = ledgers_.find(peer);
  if (found == ledgers_.end()) return;
  clear_ledger(peer, found->second);
  ledgers_.erase(found);
}

std::vector<Outgoing> Server::take_output(const BlockStore& store) {
  std::vector<Outgoing> out;
  for (auto it = ledgers_.begin(); it != ledgers_.end();) {
    const mf::PeerId& peer = it->first;
    Ledger& ledger = it->second;
    Message message;
    std::size_t used = 0;
    while (!ledger.unanswered.empty()) {
      const mf::Cid& cid = ledger.order.at(*ledger.unanswered.begin());
      if (!answer(peer, ledger, ledger.wants.find(cid), store, message, used)) break;
    }
    if (!message.empty()) {
      for (auto& part : split_message(std::move(message), config_.max_message_size)) {
        out.push_back(Outgoing{peer, std::move(part)});
      }
    }
    it = ledger.wants.empty() ? ledgers_.erase(it) : std::next(it);
  }
  return out;
}

bool Server::answer(const mf::PeerId& peer, Ledger& ledger, EntryIt it, const BlockStore& store,
                    Message& out, std::size_t& used) {
  Entry& e = it->second;
  const mf::Cid& cid = it->first;
  const bool have_only = e.type == WantType::have && config_.want_have_replace_size == 0;
  std::optional<Bytes> data;
  bool held = have_only ? store.has(cid.hash()) : (data = store.get(cid.hash())).has_value();
  std::optional<BlockPayload> block;
  if (data && (e.type == WantType::block || data->size() <= config_.want_have_replace_size)) {
    block = BlockPayload{cid_prefix(cid), std::move(*data)};
    // A block no receiver would read (go's 4 MiB message limit) is as good as not held.
    if (wire_size(*block) + message_overhead > max_message_size) held = false;
  }
  if (!held) {
    ledger.unanswered.erase(e.seq);
    if (!e.send_dont_have || e.dont_have_sent) return true;
    Presence presence{cid, PresenceType::dont_have};
    used += wire_size(presence);
    out.presences.push_back(std::move(presence));
    e.dont_have_sent = true;
    ++counters_.dont_haves_sent;
    return true;
  }
  const std::size_t size = block ? wire_size(*block) : wire_size(Presence{cid, PresenceType::have});
  if (used > 0 && used + size > config_.max_output_per_peer) return false;
  used += size;
  if (block) {
    ++counters_.blocks_sent;
    counters_.block_bytes_sent += block->data.size();
    out.payload.push_back(std::move(*block));
  } else {
    ++counters_.haves_sent;
    out.presences.push_back(Presence{cid, PresenceType::have});
  }
  erase_entry(peer, ledger, it);
  return true;
}

bool Server::has_output() const {
  return std::any_of(ledgers_.begin(), ledgers_.end(),
                     [](const auto& ledger) { return !ledger.second.unanswered.empty(); });
}

std::size_t Server::ledger_size(const mf::PeerId& peer) const {
  const auto found = ledgers_.find(peer);
  return found == ledgers_.end() ? 0 : found->second.wants.size();
}

void Server::erase_entry(const mf::PeerId& peer, Ledger& ledger, EntryIt it) {
  const mf::Cid cid = it->first;
  ledger.order.erase(it->second.seq);
  ledger.unanswered.erase(it->second.seq);
  ledger.wants.erase(it);
  const auto found = wanted_by_.find(cid.hash());
  if (found == wanted_by_.end()) return;
  found->second.erase({peer, cid});
  if (found->second.empty()) wanted_by_.erase(found);
}

void Server::clear_ledger(const mf::PeerId& peer, Ledger& ledger) {
  while (!ledger.wants.empty()) erase_entry(peer, ledger, ledger.wants.begin());
}

}  // namespace cf::p2p::bitswap
