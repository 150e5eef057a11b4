// The gossipsub (meshsub 1.0-1.2) router, sans-I/O: no streams, no timers, time passed in.
// Follows go-libp2p-pubsub v0.16 gossipsub.go (HandleRPC, handleIHave/IWant/Graft/Prune/
// IDontWant, Join/Leave, Publish, heartbeat, emitGossip) and pubsub.go (handleIncomingRPC,
// pushMsg, validation order), as summarised in libp2p-wire.md §7, for an IPFS Cluster follower:
// StrictSign, no peer scoring, no peer exchange, cluster mesh parameters by default.
//
// Use: add_peer() once our outbound stream to a peer speaks a meshsub protocol, on_rpc() for
// every RPC read from the peer's stream (zero-length ones too: the first RPC is the peer's
// hello), heartbeat() every RouterConfig::heartbeat_interval, then write take_output() to the
// peers' streams (uvarint-framed, p2p::append_frame) and drain next_delivery(). remove_peer()
// when the connection closes. The I/O service above owns streams, the timer and the clock.
//
// Ownership and threading: a Router is a plain value owned by the pubsub service; it owns all
// state and queues. Not thread-safe: call it from one strand. No call blocks or throws on input.
//
// Memory bounds: per peer, the queued output (max_queued_bytes_per_peer; bounded parts beyond
// it are dropped and counted), its subscriptions (max_peer_topics) and its IDONTWANT set
// (max_unwanted_per_peer); globally, the seen cache (max_seen_entries, two per message), the
// message cache (max_cached_messages, HistoryLength heartbeats), pending IWANTs
// (max_pending_iwants) and undrained deliveries (max_pending_deliveries). Backoff entries exist
// only for topics we join or have just left, and are dropped once expired. Per-peer state exists for every peer
// added or heard from until remove_peer().
//
// Behaviour, as go v0.16 unless noted:
// - Messages: dropped (counted) unless in a subscribed topic; from ourselves via a peer;
//   duplicates by the seen cache, checked under both IdForms; then StrictSign verification
//   (bad ones are NOT marked seen, so a forgery cannot shadow the genuine message); then marked
//   seen and passed to the topic's validator (none = accept). Accepted messages are delivered,
//   cached, and forwarded as received to the topic's mesh peers except the sender, the author
//   and peers that sent IDONTWANT for them. IDONTWANT goes to 1.2 mesh peers other than the
//   sender for data of idontwant_threshold bytes or more; go sends it before validating, we
//   once the message is accepted (so a forgery cannot make us refuse the genuine message).
// - IHAVE: only for joined topics, at most max_ihave_messages per peer per heartbeat and
//   max_ihave_length IDs asked per peer per heartbeat; unseen IDs are asked once, and not again
//   (from anyone) for iwant_followup while the first request is outstanding (ours; go asks
//   again). IWANT: served from the message cache at most gossip_retransmission times per ID per
//   peer, never for IDs the peer sent IDONTWANT for.
// - GRAFT: unjoined topic -> PRUNE (go v0.16 ignores it; the spec and the follower brief want a
//   PRUNE); already in mesh -> nothing; in our backoff for that peer (now < expiry) -> PRUNE and
//   the backoff is renewed; mesh at d_hi or more and not a priority peer -> PRUNE with backoff
//   (go makes this exception for its outbound peers); else added. We never send peer exchange.
// - PRUNE: the peer leaves our mesh and is backed off for its `backoff` seconds (clamped to
//   max_remote_backoff), or prune_backoff when absent.
// - Priority peers (the cluster's trusted peers) stand in for go's outbound peers: they are
//   GRAFTed for every joined topic as soon as they are known to have joined it (their hello or
//   a later SubOpts; once added), and in every heartbeat once a backoff has expired plus one
//   heartbeat; they are never pruned for mesh size. Not earlier: go PRUNEs a GRAFT for a topic
//   it has not joined yet, with a 60 s backoff, which is what a just-restarted trusted peer
//   would do with a GRAFT sent in our first RPC (found in the lab).
// - Heartbeat, per joined topic: drop mesh peers known not to subscribe; graft priority peers;
//   below d_lo graft random subscribed peers that are not backed off (expiry + one heartbeat)
//   up to d; at d_hi or more prune random non-priority peers down to d; IHAVE the message IDs of
//   the last history_gossip heartbeats to max(d_lazy, gossip_factor x candidates) subscribed
//   non-mesh peers. Fanout topics (published, not joined) are kept up to d peers and expire
//   after fanout_ttl. Then the message cache shifts, the seen cache expires, per-heartbeat
//   counters reset, IDONTWANT entries age and expired backoffs go. No Dout, Dscore or
//   opportunistic grafting: without scoring they do nothing useful for a follower.
// - Randomness (which peers to graft, prune or gossip to) comes from RouterConfig::random_seed.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/identity/ed25519.hpp"
#include "cf/multiformats/peer_id.hpp"
#include "cf/p2p/gossipsub/message_cache.hpp"
#include "cf/p2p/gossipsub/outbox.hpp"
#include "cf/p2p/gossipsub/rpc.hpp"
#include "cf/p2p/gossipsub/seen_cache.hpp"
#include "cf/p2p/gossipsub/signature.hpp"

namespace cf::p2p::gossipsub {

using TimePoint = std::chrono::steady_clock::time_point;
using PeerId = multiformats::PeerId;

// Defaults are the cluster's (ipfs-cluster >= 1.1.2: DFactor 4, heartbeat 10 s, HistoryLength
// 6, HistoryGossip 2, SeenMessagesTTL 30 min, msg-id from[0:16]||seqno). For cluster 1.1.0 and
// 1.1.1 use go's defaults instead: d 6/5/12/6, heartbeat 1 s, history 5/3, seen 2 min, full IDs.
struct RouterConfig {
  std::size_t d = 24;
  std::size_t d_lo = 20;
  std::size_t d_hi = 48;
  std::size_t d_lazy = 24;
  double gossip_factor = 0.25;
  std::chrono::nanoseconds heartbeat_interval = std::chrono::seconds(10);
  std::size_t history_length = 6;
  std::size_t history_gossip = 2;
  std::chrono::nanoseconds seen_ttl = std::chrono::minutes(30);
  std::size_t max_seen_entries = 400'000;
  std::size_t max_cached_messages = 100'000;
  std::chrono::seconds prune_backoff{60};
  std::chrono::seconds unsubscribe_backoff{10};
  std::chrono::seconds max_remote_backoff{24 * 3600};
  std::chrono::nanoseconds fanout_ttl = std::chrono::seconds(60);
  int gossip_retransmission = 3;
  std::size_t max_ihave_length = 5000;
  std::size_t max_ihave_messages = 10;
  std::chrono::nanoseconds iwant_followup = std::chrono::seconds(3);
  std::size_t max_pending_iwants = 50'000;
  std::size_t max_idontwant_length = 10;
  std::size_t max_idontwant_messages = 1000;
  int idontwant_ttl_heartbeats = 3;
  std::size_t max_unwanted_per_peer = 5000;
  std::size_t idontwant_threshold = 1024;
  // The form of the IDs we emit (IHAVE, IDONTWANT, Delivery::id) and key the caches by.
  IdForm id_form = IdForm::cluster;
  std::size_t max_queued_bytes_per_peer = 4 << 20;
  std::size_t max_peer_topics = 5000;
  std::size_t max_pending_deliveries = 10'000;
  // The first seqno we publish (go seeds its counter with wall-clock nanoseconds).
  std::uint64_t first_seqno = 0;
  std::uint64_t random_seed = 0;
  RpcLimits rpc_limits;
};

enum class Verdict : std::uint8_t { accept, reject, ignore };
// Decides on a validly signed message of its topic; `author` is the verified signer.
using Validator = std::function<Verdict(const PeerId& author, const Message&)>;

struct Counters {
  std::uint64_t rpcs_received = 0;
  std::uint64_t malformed = 0;           // RPCs that failed to decode (nothing applied)
  std::uint64_t messages_received = 0;   // publish entries, before any check
  std::uint64_t unsubscribed_topic = 0;  // messages in topics we have not joined
  std::uint64_t self_origin = 0;         // our own messages coming back through a peer
  std::uint64_t duplicates = 0;
  std::uint64_t bad_signature = 0;       // any verify_message failure
  std::uint64_t untrusted_author = 0;    // validator said reject
  std::uint64_t ignored = 0;             // validator said ignore
  std::uint64_t delivered = 0;
  std::uint64_t deliveries_dropped = 0;  // accepted while max_pending_deliveries were undrained
  std::uint64_t forwarded = 0;           // copies of received messages queued to peers
  std::uint64_t published = 0;
  std::uint64_t ihave_sent = 0;          // IHAVE entries (one per topic and peer)
  std::uint64_t ihave_received = 0;
  std::uint64_t iwant_sent = 0;          // IWANT entries
  std::uint64_t iwant_received = 0;
  std::uint64_t iwant_served = 0;        // messages queued in answer to IWANT
  std::uint64_t idontwant_sent = 0;
  std::uint64_t idontwant_received = 0;
  std::uint64_t grafts_sent = 0;
  std::uint64_t grafts_received = 0;
  std::uint64_t prunes_sent = 0;
  std::uint64_t prunes_received = 0;
  std::uint64_t output_dropped = 0;      // parts refused by a full per-peer queue or too large
};

struct Delivery {
  std::string topic;
  MessageId id;  // in RouterConfig::id_form
  PeerId author;
  PeerId received_from;
  Message message;
};

// One encoded RPC for a peer, without its uvarint length prefix; at most max_rpc_size bytes.
struct Outgoing {
  PeerId peer;
  Bytes rpc;
};

// What we know of a peer's mesh as far as we are concerned, for one topic.
enum class RemoteMesh : std::uint8_t {
  unknown,
  we_grafted,    // we sent GRAFT and have had no PRUNE since: presumably in their mesh
  they_grafted,  // they sent GRAFT: we are in their mesh
  they_pruned,   // they sent PRUNE
  we_pruned,     // we sent PRUNE (which also takes us out of theirs)
};

struct PeerTopicInfo {
  std::string topic;
  bool subscribed = false;   // their hello or a later SubOpts listed the topic
  bool in_our_mesh = false;
  RemoteMesh their_mesh = RemoteMesh::unknown;
  std::optional<TimePoint> backoff_until;
  std::optional<TimePoint> last_ihave;
  std::optional<TimePoint> last_message;
};

struct PeerInfo {
  PeerId peer;
  std::string protocol;  // of our outbound stream; empty until add_peer
  bool priority = false;
  bool hello_seen = false;
  std::size_t queued_bytes = 0;
  std::vector<PeerTopicInfo> topics;
};

class Router {
 public:
  explicit Router(PeerId self, RouterConfig config = {});

  const PeerId& self() const { return self_; }
  const RouterConfig& config() const { return config_; }

  // The topic's validator; replaces any previous one. An empty function removes it.
  void set_validator(const std::string& topic, Validator validator);
  // The trusted peers (see the header comment). Grafts those already added, when eligible.
  void set_priority_peers(std::set<PeerId> peers, TimePoint now);

  // Announces the subscription to every added peer and joins the mesh (grafting up to d
  // subscribed peers, fanout peers first, and every eligible priority peer). No-op if joined.
  void subscribe(const std::string& topic, TimePoint now);
  // Announces the unsubscription and leaves the mesh: PRUNE with unsubscribe_backoff to every
  // mesh peer, which is backed off as long. No-op if not joined.
  void unsubscribe(const std::string& topic, TimePoint now);
  const std::set<std::string>& subscriptions() const { return subscriptions_; }

  // Our outbound stream to `peer` is open and speaks `protocol` (protocol_v10/v11/v12), which
  // sets the features we use towards it (PRUNE backoff from 1.1, IDONTWANT from 1.2). Queues
  // our hello (every subscription) and GRAFTs for a priority peer. Calling it again (a new
  // stream) re-sends the hello. Error: unsupported_protocol.
  Status add_peer(const PeerId& peer, std::string_view protocol, TimePoint now);
  // Forgets the peer: mesh and fanout membership, queued output, its subscriptions. Our
  // backoffs for it stay until they expire (go keeps them across reconnects too).
  void remove_peer(const PeerId& peer);

  // Handles one RPC from `from`'s stream. A malformed RPC is counted and returned as the
  // error with nothing applied (go resets the stream on one).
  Status on_rpc(const PeerId& from, ByteView rpc, TimePoint now);

  // Signs and sends a message: to the topic's mesh when joined, else to up to d subscribed
  // peers (fanout, kept for fanout_ttl). Marks it seen and caches it for IWANT; it is not
  // delivered to ourselves. Errors: wrong_key (not our identity), message_too_large.
  Result<MessageId> publish(const identity::Ed25519Keypair& key, const std::string& topic,
                            Bytes data, TimePoint now);

  // Mesh maintenance, gossip and cache upkeep (see the header comment).
  void heartbeat(TimePoint now);

  // Every queued RPC, per peer in peer order, emptying the queues.
  std::vector<Outgoing> take_output();
  // The queued RPCs of one peer (for a writer that drains per peer).
  std::vector<Bytes> take_output(const PeerId& peer);
  bool has_output() const;

  std::optional<Delivery> next_delivery();

  // Introspection.
  const Counters& counters() const { return counters_; }
  std::vector<PeerId> mesh_peers(const std::string& topic) const;
  std::optional<PeerInfo> peer_info(const PeerId& peer) const;
  std::vector<PeerInfo> peers() const;
  std::size_t seen_size() const { return seen_.size(); }
  std::size_t cached_messages() const { return mcache_.size(); }

 private:
  enum class Version : std::uint8_t { v10, v11, v12 };

  struct TopicLink {
    RemoteMesh their_mesh = RemoteMesh::unknown;
    std::optional<TimePoint> last_ihave;
    std::optional<TimePoint> last_message;
  };

  struct PeerState {
    explicit PeerState(std::size_t max_queued) : outbox(max_queued) {}
    std::optional<Version> version;  // set by add_peer: we can send to it
    bool hello_seen = false;
    std::set<std::string> topics;                 // its subscriptions
    std::map<std::string, TopicLink> links;       // joined topics only
    Outbox outbox;
    std::size_t ihave_messages = 0;               // per heartbeat
    std::size_t iasked = 0;                       // per heartbeat
    std::size_t idontwant_messages = 0;           // per heartbeat
    std::map<MessageId, int, IdLess> unwanted;    // IDONTWANT id -> heartbeats left
  };

  // Message handling, one handler per message kind (router_handlers.cpp).
  void on_subscription(const PeerId& from, PeerState& peer, const SubOpts& sub, TimePoint now);
  void on_message(const PeerId& from, PeerState& peer, Message message, TimePoint now);
  void on_ihave(PeerState& peer, const std::vector<ControlIHave>& list, TimePoint now);
  void on_iwant(const PeerId& from, PeerState& peer, const std::vector<ControlIWant>& list);
  void on_graft(const PeerId& from, PeerState& peer, const std::vector<ControlGraft>& list,
                TimePoint now);
  void on_prune(const PeerId& from, PeerState& peer, const std::vector<ControlPrune>& list,
                TimePoint now);
  void on_idontwant(PeerState& peer, const std::vector<ControlIDontWant>& list);
  void accept(const PeerId& from, const PeerId& author, Message message, const MessageId& id,
              const MessageId& alias);
  Verdict validate(const std::string& topic, const PeerId& author, const Message& message) const;

  // Mesh upkeep (router_heartbeat.cpp).
  void maintain_mesh(const std::string& topic, TimePoint now);
  void maintain_fanout(TimePoint now);
  void emit_gossip(const std::string& topic, const std::set<PeerId>& exclude);
  void reset_heartbeat_state(TimePoint now);
  std::vector<PeerId> pick_peers(const std::string& topic, std::size_t count,
                                 const std::function<bool(const PeerId&, const PeerState&)>& ok);

  // Shared helpers (router.cpp).
  PeerState& state_of(const PeerId& peer);
  TopicLink& link(PeerState& peer, const std::string& topic) { return peer.links[topic]; }
  bool joined(const std::string& topic) const { return mesh_.count(topic) != 0; }
  bool in_backoff(const std::string& topic, const PeerId& peer, TimePoint now,
                  std::chrono::nanoseconds slack) const;
  void add_backoff(const std::string& topic, const PeerId& peer, TimePoint until);
  bool may_graft(const PeerId& id, const PeerState& peer, const std::string& topic,
                 TimePoint now) const;
  void graft(const PeerId& id, PeerState& peer, const std::string& topic);
  void prune(const PeerId& id, PeerState& peer, const std::string& topic,
             std::chrono::seconds backoff, bool reply, TimePoint now);
  void graft_priority(const PeerId& id, PeerState& peer, TimePoint now);
  void send_message(const PeerId& to, PeerState& peer, const SharedBytes& raw,
                    const MessageId& id, const MessageId& alias, std::uint64_t* sent);
  std::uint64_t random();
  template <typename T>
  void shuffle(std::vector<T>& items);

  PeerId self_;
  RouterConfig config_;
  std::map<PeerId, PeerState> peers_;
  std::set<PeerId> priority_;
  std::set<std::string> subscriptions_;
  std::map<std::string, std::set<PeerId>> mesh_;  // joined topics
  std::map<std::string, std::set<PeerId>> fanout_;
  std::map<std::string, TimePoint> last_publish_;
  std::map<std::string, std::map<PeerId, TimePoint>> backoff_;  // topic -> peer -> expiry
  std::map<std::string, Validator> validators_;
  SeenCache seen_;
  MessageCache mcache_;
  std::map<MessageId, TimePoint, IdLess> asked_;  // IWANTs sent -> when
  std::deque<Delivery> deliveries_;
  Counters counters_;
  std::uint64_t next_seqno_;
  std::uint64_t random_state_;
};

}  // namespace cf::p2p::gossipsub
