// The bitswap client's decisions, sans-I/O: which peer to ask for which block, when to give
// up on a peer, what to cancel, and which received blocks to accept. No sockets, no timers:
// time is passed in. Facts from boxo v0.39 bitswap (client/internal/messagequeue,
// message/message.go) and docs/reference/libp2p-wire.md §8.3.
//
// Use: want()/cancel() blocks and add_peer()/remove_peer() as connections come and go; feed
// every message a peer sends to on_message(); call on_tick(now) when next_deadline() passes;
// after each batch of calls write take_output(now) to the peers (each Outgoing on that peer's
// bitswap stream) and drain next_block(), calling release() once a block's bytes are stored.
// Messages from a peer carry its wants too: those are for Server, not this class.
//
// Ownership and threading: a plain value owned by the bitswap service; not thread-safe (one
// strand). Memory: per want a few small sets of peers; received blocks are held until
// released, and no want goes out while held_bytes() >= max_held_bytes, so held bytes pass
// that bound only by blocks of wants sent before. Unwanted blocks are dropped at once.
//
// Behaviour:
// - A want goes to one peer at a time as a want-block with send_dont_have, priority falling
//   with age (older wants first, as boxo's message queue numbers them). At most max_in_flight
//   wants are in flight in all, max_in_flight_per_peer at one peer.
// - Ask order in a round: the preferred peer (if connected; the want waits for room there),
//   then peers that said HAVE, then the least loaded peer, ties taken round robin. A round
//   never asks a peer twice; when every connected peer has said DONT_HAVE or timed out, the
//   want backs off (backoff_initial, doubling to backoff_max) and a new round starts. The want
//   stays until it is delivered or cancelled. A peer that connects ends the backoff of the
//   wants it was not asked for in their round.
// - An attempt ends at the peer's DONT_HAVE or after attempt_timeout; the want moves on. The
//   peer keeps our want in its ledger (go keeps wants until cancelled), so it may still send
//   the block, which is then accepted.
// - Blocks are verified (verify.hpp) and matched by multihash: a CIDv0 want is met by a CIDv1
//   block of the same hash and the other way round. A block is delivered once per CID the
//   caller wanted with that hash, under that CID. Verified blocks nobody wants count as
//   unwanted_blocks (duplicates included); blocks that cannot be verified (bad prefix,
//   unsupported hash) count as bad_blocks. A corrupted block hashes to some other CID and so
//   counts as unwanted: without the wanted CID on the wire the two cannot be told apart.
// - After a delivery, or cancel(), every other peer that was sent the want gets a cancel.
// - Outgoing entries are coalesced per peer (a want sent to a peer replaces a queued cancel of
//   the same CID) and split into messages of at most max_message_size encoded bytes.
// - Identity CIDs are delivered at once from the CID itself, without asking anyone.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/multiformats/cid.hpp"
#include "cf/multiformats/peer_id.hpp"
#include "cf/p2p/bitswap/message.hpp"

namespace cf::p2p::bitswap {

using TimePoint = std::chrono::steady_clock::time_point;

struct ClientConfig {
  // Wants in flight (sent and not yet answered) across all peers.
  std::size_t max_in_flight = 512;
  // Wants in flight at one peer.
  std::size_t max_in_flight_per_peer = 256;
  // How long one peer may take to answer before the want moves on.
  std::chrono::milliseconds attempt_timeout{15'000};
  // Backoff after a round in which every connected peer failed: first, and the cap.
  std::chrono::milliseconds backoff_initial{2'000};
  std::chrono::milliseconds backoff_max{60'000};
  // No new wants go out while this many bytes of delivered blocks are not released.
  std::size_t max_held_bytes = 64 << 20;
  // Largest encoded message take_output produces (one oversized entry goes alone).
  std::size_t max_message_size = 256 << 10;
};

struct ClientCounters {
  std::uint64_t wants_sent = 0;       // want-block entries sent, retries included
  std::uint64_t cancels_sent = 0;     // cancel entries sent
  std::uint64_t blocks_received = 0;  // wanted blocks received (once per want)
  std::uint64_t unwanted_blocks = 0;  // verified blocks no want matched (duplicates too)
  std::uint64_t bad_blocks = 0;       // payload blocks that could not be verified
  std::uint64_t haves = 0;            // HAVE presences for wanted blocks
  std::uint64_t dont_haves = 0;       // DONT_HAVE presences for wanted blocks
  std::uint64_t timeouts = 0;         // attempts that ran past attempt_timeout
  std::uint64_t backoffs = 0;         // rounds ended with every connected peer failed
  std::uint64_t bytes_received = 0;   // data bytes of all payload blocks received
};

// A delivered block, under the CID the caller wanted.
struct Block {
  multiformats::Cid cid;
  Bytes data;
};

class Client {
 public:
  explicit Client(ClientConfig config = {});

  // Wants `cid` until it is delivered or cancelled; `preferred` is asked first (e.g. the
  // author of a CRDT head). Wanting a CID again only updates the preference. Errors:
  // unsupported_hash and invalid_digest_length (its blocks could never be verified).
  Status want(const multiformats::Cid& cid, std::optional<multiformats::PeerId> preferred = {});
  // Drops the want (only this CID, if others with the same hash are wanted) and queues a
  // cancel to every peer it was sent to. No-op when not wanted.
  void cancel(const multiformats::Cid& cid);
  bool is_wanted(const multiformats::Cid& cid) const;

  // A connected peer that speaks bitswap. Adding a known peer does nothing.
  void add_peer(const multiformats::PeerId& peer);
  // Its wants in flight go back to the queue; its queued cancels are dropped (its ledger of
  // our wants ends with the connection); if it comes back it is asked again.
  void remove_peer(const multiformats::PeerId& peer);

  // Blocks and presences from `from` (the want list, if any, is ignored). Every block is
  // processed; errc::bad_block when some failed verification (the detail counts them), so the
  // caller may penalise the peer.
  Status on_message(const multiformats::PeerId& from, const Message& message);
  // Ends attempts past their timeout and backoffs past their end.
  void on_tick(TimePoint now);
  // When on_tick should next run; empty when no attempt or backoff is pending.
  std::optional<TimePoint> next_deadline() const;

  // Assigns queued wants to peers (attempts time out from `now`) and returns the messages to
  // send, cancels first. Empty when there is nothing to send.
  std::vector<Outgoing> take_output(TimePoint now);
  // False when take_output would return nothing.
  bool has_output() const;
  // The next delivered block. Its bytes count as held until release()d.
  std::optional<Block> next_block();
  // Ends holding `bytes` bytes of delivered blocks (clamped at what is held).
  void release(std::size_t bytes);

  const ClientCounters& counters() const { return counters_; }
  std::size_t want_count() const { return wants_.size(); }
  std::size_t in_flight() const { return in_flight_; }
  std::size_t in_flight(const multiformats::PeerId& peer) const;
  std::size_t held_bytes() const { return held_bytes_; }
  std::size_t peer_count() const { return peers_.size(); }

 private:
  using WantId = std::uint64_t;
  enum class State : std::uint8_t { queued, in_flight, backoff };

  struct Want {
    multiformats::Cid wire_cid;                     // the CID we send (the first one wanted)
    std::vector<multiformats::Cid> cids;            // every CID wanted with this multihash
    std::optional<multiformats::PeerId> preferred;  // asked first in every round
    State state = State::queued;
    std::optional<multiformats::PeerId> peer{};     // in_flight: the peer asked
    TimePoint deadline{};                           // in_flight: attempt end; backoff: its end
    std::set<multiformats::PeerId> tried{};         // asked in this round
    std::set<multiformats::PeerId> sent_to{};       // holding our want in their ledger
    std::set<multiformats::PeerId> haves{};         // said HAVE
    std::chrono::milliseconds next_backoff{};       // the length of the next backoff
  };

  struct PeerState {
    std::size_t in_flight = 0;
    std::set<multiformats::Cid> cancels;  // queued cancel entries
    std::vector<WantEntry> wants;         // want entries chosen by the current take_output
  };

  // Message handlers, one per part of a reply.
  Status on_blocks(const multiformats::PeerId& from, const std::vector<BlockPayload>& payload);
  void on_block(const multiformats::PeerId& from, const multiformats::Cid& cid, const Bytes& data);
  void on_presence(const multiformats::PeerId& from, const Presence& presence);

  // Scheduling.
  void assign_queued(TimePoint now);
  // The peer to ask next for `want`; nullptr with `exhausted` set when every connected peer
  // was asked in this round, nullptr alone when the candidates have no room.
  const multiformats::PeerId* choose_peer(const Want& want, bool& exhausted) const;
  void send_to(WantId id, Want& want, const multiformats::PeerId& peer, TimePoint now);
  void start_backoff(WantId id, Want& want, TimePoint now);
  void requeue(WantId id, Want& want);
  // Takes `want` off its peer (in-flight count and timer) without changing its state.
  void end_attempt(WantId id, Want& want);
  void erase_want(std::map<WantId, Want>::iterator it, const multiformats::PeerId* except);
  std::vector<Outgoing> build_output();
  std::int32_t priority_of(WantId id) const;

  ClientConfig config_;
  ClientCounters counters_;
  std::map<WantId, Want> wants_;  // by age: lower ids are older and asked first
  std::unordered_map<multiformats::Multihash, WantId> by_hash_;
  std::set<WantId> queued_;
  std::set<std::pair<TimePoint, WantId>> timers_;  // attempt deadlines and backoff ends
  std::map<multiformats::PeerId, PeerState> peers_;
  std::deque<Block> ready_;
  WantId next_id_ = 0;
  std::size_t in_flight_ = 0;
  std::size_t held_bytes_ = 0;
  std::size_t round_robin_ = 0;
};

}  // namespace cf::p2p::bitswap
