// The bitswap server's decisions, sans-I/O: what to answer peers that want blocks we hold.
// Follows boxo v0.39 bitswap/server/internal/decision (engine.go MessageReceived,
// NotifyNewBlocks, MessageSent; peer_ledger.go) with ipfs-lite's WantHaveReplaceSize 1024
// (docs/reference/libp2p-wire.md §8.3 step 3, §8.4).
//
// Use: on_message() for every message a peer sends (only its want list matters here),
// on_block_added() when the store gains a block, remove_peer() when a peer disconnects; then
// take_output(store) and send each Outgoing on a new stream to its peer, as go does. Decisions
// are made in take_output, against the store as it is then, so blocks are read only when
// there is room to send them.
//
// Ownership and threading: a plain value owned by the bitswap service; not thread-safe (one
// strand). The store is borrowed for the duration of take_output. Memory: per peer at most
// max_ledger_entries wants; each take_output call reads at most about max_output_per_peer
// bytes of blocks per peer (one block more when a single block is larger).
//
// Behaviour, as boxo's engine unless noted:
// - want-block for a held block: the block, its prefix that of the CID as asked. want-have:
//   HAVE, or the block itself when it is at most want_have_replace_size bytes. Either way the
//   want leaves the ledger once answered (go MessageSent).
// - Not held: DONT_HAVE when the entry asked for send_dont_have, once per want; the want stays
//   in the ledger, and on_block_added() answers it. Wanting it again asks for a new answer.
// - A cancel removes the want (and any answer not yet built). full=true empties the peer's
//   ledger before the entries apply. Entries apply in message order (boxo merges duplicates
//   of one CID in a message first; no peer sends them).
// - Identity CIDs are ignored (go ignores them rather than failing the peer).
// - Blocks are looked up by multihash: a CIDv0 want is served by the same bytes as a CIDv1.
// - A block too large for a 4 MiB message is treated as not held.
// Divergences: the ledger drops its oldest want when full (go refuses new ones, or replaces
// lower-priority wants); answers go out in arrival order (go orders by priority, which go
// clients give in arrival order anyway).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "cf/multiformats/cid.hpp"
#include "cf/multiformats/peer_id.hpp"
#include "cf/p2p/bitswap/block_store.hpp"
#include "cf/p2p/bitswap/message.hpp"

namespace cf::p2p::bitswap {

struct ServerConfig {
  // want-have for a block this size or smaller is answered with the block (ipfs-lite: 1024).
  std::size_t want_have_replace_size = 1024;
  // Wants kept per peer; above this the oldest is dropped (go MaxQueuedWantlistEntriesPerPeer).
  std::size_t max_ledger_entries = 1024;
  // Largest encoded message take_output produces (a larger single block goes alone).
  std::size_t max_message_size = 1 << 20;
  // Bytes of answers one take_output call produces for one peer; the rest waits for the next.
  std::size_t max_output_per_peer = 2 << 20;
};

struct ServerCounters {
  std::uint64_t wants_received = 0;    // want entries, cancels excluded
  std::uint64_t cancels_received = 0;  // cancel entries
  std::uint64_t ignored_entries = 0;   // entries for identity CIDs
  std::uint64_t ledger_evictions = 0;  // wants dropped because the peer's ledger was full
  std::uint64_t blocks_sent = 0;
  std::uint64_t block_bytes_sent = 0;
  std::uint64_t haves_sent = 0;
  std::uint64_t dont_haves_sent = 0;
};

class Server {
 public:
  explicit Server(ServerConfig config = {});

  void on_message(const multiformats::PeerId& from, const Message& message);
  // Wants for this block's multihash are answered by the next take_output.
  void on_block_added(const multiformats::Cid& cid);
  // Forgets the peer's ledger and unanswered wants.
  void remove_peer(const multiformats::PeerId& peer);

  // Answers the wants that wait for an answer, within the per-peer budget; messages are at
  // most max_message_size each. Empty when there is nothing to say.
  std::vector<Outgoing> take_output(const BlockStore& store);
  // True when some want waits for an answer (take_output may return something).
  bool has_output() const;

  std::size_t ledger_size(const multiformats::PeerId& peer) const;
  std::size_t peer_count() const { return ledgers_.size(); }
  const ServerCounters& counters() const { return counters_; }

 private:
  struct Entry {
    WantType type = WantType::block;
    std::int32_t priority = 0;
    bool send_dont_have = false;
    bool dont_have_sent = false;
    std::uint64_t seq = 0;  // arrival order
  };

  struct Ledger {
    std::map<multiformats::Cid, Entry> wants;
    std::map<std::uint64_t, multiformats::Cid> order;  // every want, oldest first
    std::set<std::uint64_t> unanswered;               // wants waiting for an answer
  };

  using EntryIt = std::map<multiformats::Cid, Entry>::iterator;

  // Entry handlers, one per kind.
  void on_want(const multiformats::PeerId& peer, Ledger& ledger, const WantEntry& entry);
  void on_cancel(const multiformats::PeerId& peer, Ledger& ledger, const multiformats::Cid& cid);

  // Answers one want into `out`; false when the budget leaves no room for its answer.
  bool answer(const multiformats::PeerId& peer, Ledger& ledger, EntryIt it,
              const BlockStore& store, Message& out, std::size_t& used);
  void erase_entry(const multiformats::PeerId& peer, Ledger& ledger, EntryIt it);
  void clear_ledger(const multiformats::PeerId& peer, Ledger& ledger);

  ServerConfig config_;
  ServerCounters counters_;
  std::map<multiformats::PeerId, Ledger> ledgers_;
  // Who wants each multihash, under which CID (on_block_added).
  std::map<multiformats::Multihash, std::set<std::pair<multiformats::PeerId, multiformats::Cid>>>
      wanted_by_;
  std::uint64_t next_seq_ = 0;
};

}  // namespace cf::p2p::bitswap
