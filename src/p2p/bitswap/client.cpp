// The bitswap client's decisions (see client.hpp for the behaviour it follows).
#include "cf/p2p/bitswap/client.hpp"

#include <algorithm>
#include <limits>
#include <string>
#include <tuple>
#include <utility>

#include "cf/p2p/bitswap/errc.hpp"
#include "cf/p2p/bitswap/verify.hpp"

namespace cf::p2p::bitswap {
namespace {

namespace mf = cf::multiformats;

ClientConfig sanitized(ClientConfig c) {
  c.max_in_flight = std::max<std::size_t>(c.max_in_flight, 1);
  c.max_in_flight_per_peer = std::max<std::size_t>(c.max_in_flight_per_peer, 1);
  c.backoff_initial = std::max(c.backoff_initial, std::chrono::milliseconds(1));
  c.backoff_max = std::max(c.backoff_max, c.backoff_initial);
  c.max_message_size = std::max<std::size_t>(c.max_message_size, 1);
  return c;
}

}  // namespace

Client::Client(ClientConfig config) : config_(sanitized(config)) {}

Status Client::want(const mf::Cid& cid, std::optional<mf::PeerId> preferred) {
  const auto& hash = cid.hash();
  if (hash.code() == hash_code::identity) {
    // The CID carries the block itself.
    const auto digest = hash.digest();
    held_bytes_ += digest.size();
    ready_.push_back(Block{cid, Bytes(digest.begin(), digest.end())});
    return ok();
  }
  CF_TRY(check_hash(hash.code(), hash.digest().size()));
  if (auto found = by_hash_.find(hash); found != by_hash_.end()) {
    Want& w = wants_.at(found->second);
    if (std::find(w.cids.begin(), w.cids.end(), cid) == w.cids.end()) w.cids.push_back(cid);
    if (preferred) w.preferred = std::move(preferred);
    return ok();
  }
  const WantId id = next_id_++;
  wants_.emplace(id, Want{.wire_cid = cid,
                          .cids = {cid},
                          .preferred = std::move(preferred),
                          .next_backoff = config_.backoff_initial});
  by_hash_.emplace(hash, id);
  queued_.insert(id);
  return ok();
}

void Client::cancel(const mf::Cid& cid) {
  const auto found = by_hash_.find(cid.hash());
  if (found == by_hash_.end()) return;
  const auto it = wants_.find(found->second);
  auto& cids = it->second.cids;
  const auto pos = std::find(cids.begin(), cids.end(), cid);
  if (pos == cids.end()) return;
  cids.erase(pos);
  if (cids.empty()) erase_want(it, nullptr);
}

bool Client::is_wanted(const mf::Cid& cid) const {
  const auto found = by_hash_.find(cid.hash());
  if (found == by_hash_.end()) return false;
  const auto& cids = wants_.at(found->second).cids;
  return std::find(cids.begin(), cids.end(), cid) != cids.end();
}

void Client::add_peer(const mf::PeerId& peer) {
  if (!peers_.emplace(peer, PeerState{}).second) return;
  // A new source ends the backoff of every want that has not asked it in this round.
  for (auto& [id, w] : wants_) {
    if (w.state == State::backoff && !w.tried.contains(peer)) {
      timers_.erase({w.deadline, id});
      requeue(id, w);
    }
  }
}

void Client::remove_peer(const mf::PeerId& peer) {
  const auto found = peers_.find(peer);
  if (found == peers_.end()) return;
  for (auto& [id, w] : wants_) {
    if (w.state == State::in_flight && w.peer == peer) {
      end_attempt(id, w);
      requeue(id, w);
    }
    w.tried.erase(peer);
    w.sent_to.erase(peer);
    w.haves.erase(peer);
  }
  peers_.erase(found);
}

Status Client::on_message(const mf::PeerId& from, const Message& message) {
  auto status = on_blocks(from, message.payload);
  for (const auto& presence : message.presences) on_presence(from, presence);
  return status;
}

Status Client::on_blocks(const mf::PeerId& from, const std::vector<BlockPayload>& payload) {
  std::size_t bad = 0;
  std::optional<Error> first_error;
  for (const auto& block : payload) {
    counters_.bytes_received += block.data.size();
    auto cid = verify_block(block.prefix, block.data);
    if (!cid) {
      ++bad;
      ++counters_.bad_blocks;
      if (!first_error) first_error = cid.error();
      continue;
    }
    on_block(from, *cid, block.data);
  }
  if (bad == 0) return ok();
  return Error(errc::bad_block, std::to_string(bad) + " of " + std::to_string(payload.size()) +
                                    " blocks failed verification, the first: " +
                                    first_error->message());
}

void Client::on_block(const mf::PeerId& from, const mf::Cid& cid, const Bytes& data) {
  const auto found = by_hash_.find(cid.hash());
  if (found == by_hash_.end()) {
    ++counters_.unwanted_blocks;
    return;
  }
  const auto it = wants_.find(found->second);
  for (const auto& wanted : it->second.cids) {
    held_bytes_ += data.size();
    ready_.push_back(Block{wanted, data});
  }
  ++counters_.blocks_received;
  // The sender drops the want from its ledger once it has sent the block (go MessageSent).
  erase_want(it, &from);
}

void Client::on_presence(const mf::PeerId& from, const Presence& presence) {
  const auto found = by_hash_.find(presence.cid.hash());
  if (found == by_hash_.end()) return;
  const WantId id = found->second;
  Want& w = wants_.at(id);
  if (presence.type == PresenceType::have) {
    ++counters_.haves;
    if (peers_.contains(from)) w.haves.insert(from);
    return;
  }
  ++counters_.dont_haves;
  if (w.state == State::in_flight && w.peer == from) {
    end_attempt(id, w);
    requeue(id, w);
  }
}

void Client::on_tick(TimePoint now) {
  while (!timers_.empty() && timers_.begin()->first <= now) {
    const WantId id = timers_.begin()->second;
    Want& w = wants_.at(id);
    if (w.state == State::in_flight) {
      ++counters_.timeouts;
      end_attempt(id, w);
    } else {
      // Backoff over: a new round, in which every connected peer may be asked again.
      timers_.erase(timers_.begin());
      w.tried.clear();
    }
    requeue(id, w);
  }
}

std::optional<TimePoint> Client::next_deadline() const {
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first;
}

std::vector<Outgoing> Client::take_output(TimePoint now) {
  assign_queued(now);
  return build_output();
}

bool Client::has_output() const {
  for (const auto& [peer, state] : peers_) {
    if (!state.cancels.empty()) return true;
  }
  return !queued_.empty() && !peers_.empty() && in_flight_ < config_.max_in_flight &&
         held_bytes_ < config_.max_held_bytes;
}

std::optional<Block> Client::next_block() {
  if (ready_.empty()) return std::nullopt;
  Block block = std::move(ready_.front());
  ready_.pop_front();
  return block;
}

void Client::release(std::size_t bytes) { held_bytes_ -= std::min(bytes, held_bytes_); }

std::size_t Client::in_flight(const mf::PeerId& peer) const {
  const auto found = peers_.find(peer);
  return found == peers_.end() ? 0 : found->second.in_flight;
}

void Client::assign_queued(TimePoint now) {
  if (peers_.empty() || held_bytes_ >= config_.max_held_bytes) return;
  std::size_t with_room = 0;
  for (const auto& [peer, state] : peers_) {
    if (state.in_flight < config_.max_in_flight_per_peer) ++with_room;
  }
  for (auto it = queued_.begin();
       it != queued_.end() && in_flight_ < config_.max_in_flight && with_room > 0;) {
    const WantId id = *it;
    Want& w = wants_.at(id);
    bool exhausted = false;
    const mf::PeerId* peer = choose_peer(w, exhausted);
    if (peer != nullptr) {
      it = queued_.erase(it);
      send_to(id, w, *peer, now);
      if (peers_.at(*peer).in_flight == config_.max_in_flight_per_peer) --with_room;
      ++round_robin_;
    } else if (exhausted) {
      it = queued_.erase(it);
      start_backoff(id, w, now);
    } else {
      ++it;
    }
  }
}

const mf::PeerId* Client::choose_peer(const Want& want, bool& exhausted) const {
  exhausted = false;
  const auto has_room = [&](const PeerState& s) {
    return s.in_flight < config_.max_in_flight_per_peer;
  };
  if (want.preferred && !want.tried.contains(*want.preferred)) {
    const auto found = peers_.find(*want.preferred);
    if (found != peers_.end()) return has_room(found->second) ? &found->first : nullptr;
  }
  const std::size_t n = peers_.size();
  const std::size_t offset = round_robin_ % n;
  const mf::PeerId* best = nullptr;
  std::tuple<bool, std::size_t, std::size_t> best_key;
  bool untried = false;
  std::size_t index = 0;
  for (const auto& [peer, state] : peers_) {
    const std::size_t rank = (index++ + n - offset) % n;
    if (want.tried.contains(peer)) continue;
    untried = true;
    if (!has_room(state)) continue;
    const auto key = std::make_tuple(!want.haves.contains(peer), state.in_flight, rank);
    if (best == nullptr || key < best_key) {
      best = &peer;
      best_key = key;
    }
  }
  exhausted = !untried;
  return best;
}

void Client::send_to(WantId id, Want& w, const mf::PeerId& peer, TimePoint now) {
  PeerState& state = peers_.at(peer);
  w.state = State::in_flight;
  w.peer = peer;
  w.deadline = now + config_.attempt_timeout;
  timers_.insert({w.deadline, id});
  w.tried.insert(peer);
  w.sent_to.insert(peer);
  ++state.in_flight;
  ++in_flight_;
  // A want replaces a cancel of the same CID queued for that peer.
  state.cancels.erase(w.wire_cid);
  state.wants.push_back(WantEntry{w.wire_cid, priority_of(id), false, WantType::block, true});
  ++counters_.wants_sent;
}

void Client::start_backoff(WantId id, Want& w, TimePoint now) {
  w.state = State::backoff;
  w.deadline = now + w.next_backoff;
  timers_.insert({w.deadline, id});
  w.next_backoff = std::min(w.next_backoff * 2, config_.backoff_max);
  ++counters_.backoffs;
}

void Client::requeue(WantId id, Want& w) {
  w.state = State::queued;
  queued_.insert(id);
}

void Client::end_attempt(WantId id, Want& w) {
  timers_.erase({w.deadline, id});
  if (const auto found = peers_.find(*w.peer); found != peers_.end()) --found->second.in_flight;
  --in_flight_;
  w.peer.reset();
}

void Client::erase_want(std::map<WantId, Want>::iterator it, const mf::PeerId* except) {
  const WantId id = it->first;
  Want& w = it->second;
  if (w.state == State::in_flight) {
    end_attempt(id, w);
  } else if (w.state == State::backoff) {
    timers_.erase({w.deadline, id});
  }
  queued_.erase(id);
  for (const auto& peer : w.sent_to) {
    if (except == nullptr || peer != *except) peers_.at(peer).cancels.insert(w.wire_cid);
  }
  by_hash_.erase(w.wire_cid.hash());
  wants_.erase(it);
}

std::vector<Outgoing> Client::build_output() {
  std::vector<Outgoing> out;
  for (auto& [peer, state] : peers_) {
    if (state.cancels.empty() && state.wants.empty()) continue;
    Message message;
    message.wantlist.reserve(state.cancels.size() + state.wants.size());
    for (const auto& cid : state.cancels) {
      message.wantlist.push_back(WantEntry{cid, 0, true, WantType::block, false});
    }
    counters_.cancels_sent += state.cancels.size();
    for (auto& entry : state.wants) message.wantlist.push_back(std::move(entry));
    state.cancels.clear();
    state.wants.clear();
    for (auto& part : split_message(std::move(message), config_.max_message_size)) {
      out.push_back(Outgoing{peer, std::move(part)});
    }
  }
  return out;
}

std::int32_t Client::priority_of(WantId id) const {
  // Older wants first; after 2^31 wants every later one shares the lowest priority.
  constexpr auto top = static_cast<WantId>(std::numeric_limits<std::int32_t>::max());
  return id >= top - 1 ? 1 : static_cast<std::int32_t>(top - id);
}

}  // namespace cf::p2p::bitswap
