// The gossipsub RPC protobuf (go-libp2p-pubsub v0.16 pb/rpc.proto, proto2; libp2p-wire.md §7.3),
// hand-written over cf::protowire rather than generated, because a message signature covers the
// bytes the author sent and a forwarded message must leave exactly as it arrived: every
// Message keeps `raw`, its bytes as received, and encode_rpc writes publish entries from it.
//
// Decoding is strict about wire types (a known field with the wrong one is an error, as in go's
// generated Unmarshal) and skips unknown fields anywhere: RPC field 10 `partial` and 6492434
// `testExtension`, ControlMessage field 6 `extensions`, SubOpts fields 3 and 4 (go v0.16 always
// sends them). A non-repeated field given twice keeps the last value and a repeated nested
// message (`control`) merges, as protobuf does. Nesting is walked by one loop per level (RPC,
// ControlMessage, its entries), never recursively. Every length and count is bounded by
// RpcLimits before anything is allocated for it.
//
// Divergences from go's decoder: groups (wire types 3 and 4) are errors even in unknown fields
// (go skips them; nobody sends them); PRUNE peer-exchange entries are counted, not kept (we run
// with PX off, as cluster followers do); message IDs are bytes, never checked as UTF-8, and so
// are topics (proto2 strings, which go does not validate either).
// Stateless functions; safe from any thread.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"

namespace cf::p2p::gossipsub {

// The meshsub versions we speak. 1.1 adds PRUNE backoff and peer exchange, 1.2 IDONTWANT.
// 1.3 is not offered: it obliges an Extensions control message in the first RPC.
inline constexpr std::string_view protocol_v12 = "/meshsub/1.2.0";
inline constexpr std::string_view protocol_v11 = "/meshsub/1.1.0";
inline constexpr std::string_view protocol_v10 = "/meshsub/1.0.0";

// go's DefaultMaxMessageSize: the largest RPC either side reads (the cluster keeps it).
inline constexpr std::size_t max_rpc_size = std::size_t{1} << 20;

// Message IDs are arbitrary bytes (binary peer-ID prefixes plus seqno), although the proto
// declares them `string`.
using MessageId = Bytes;

// Orders IDs and lets ordered containers keyed by MessageId be searched with a ByteView.
struct IdLess {
  using is_transparent = void;
  bool operator()(ByteView a, ByteView b) const {
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  }
};

// A published message. from/data/seqno/topic/signature/key are the decoded fields (the last
// occurrence when one is repeated; empty when absent). `raw` is the Message's bytes exactly as
// received, or as built by sign_message; it is what gets forwarded and served, unchanged.
struct Message {
  Bytes from;
  Bytes data;
  Bytes seqno;
  std::string topic;
  Bytes signature;
  Bytes key;
  Bytes raw;
};

struct SubOpts {
  bool subscribe = false;
  std::string topic;
};

struct ControlIHave {
  std::string topic;
  std::vector<MessageId> ids;
};

struct ControlIWant {
  std::vector<MessageId> ids;
};

struct ControlGraft {
  std::string topic;
};

struct ControlPrune {
  std::string topic;
  // Seconds the sender asks us to wait before grafting again (absent in 1.0).
  std::optional<std::uint64_t> backoff;
  // Peer-exchange entries received (each skipped unread). encode_rpc never writes any.
  std::size_t px_peers = 0;
};

struct ControlIDontWant {
  std::vector<MessageId> ids;
};

struct ControlMessage {
  std::vector<ControlIHave> ihave;
  std::vector<ControlIWant> iwant;
  std::vector<ControlGraft> graft;
  std::vector<ControlPrune> prune;
  std::vector<ControlIDontWant> idontwant;

  bool empty() const {
    return ihave.empty() && iwant.empty() && graft.empty() && prune.empty() && idontwant.empty();
  }
};

struct Rpc {
  std::vector<SubOpts> subscriptions;
  std::vector<Message> publish;
  ControlMessage control;
};

// Bounds applied while decoding; exceeding one fails the whole RPC with errc::limit_exceeded
// (rpc_too_large for max_size). The defaults accept anything go v0.16 sends to a cluster peer:
// IHAVE lists of up to 10000 IDs (the cluster's MaxIHaveLength), 24- to 46-byte IDs, short
// topic names.
struct RpcLimits {
  std::size_t max_size = max_rpc_size;
  std::size_t max_topic_size = 1024;
  std::size_t max_id_size = 256;
  std::size_t max_subscriptions = 10000;
  std::size_t max_messages = 10000;
  // Per kind of control entry (IHAVE, IWANT, GRAFT, PRUNE, IDONTWANT), per RPC.
  std::size_t max_control_entries = 10000;
  // Message IDs over all control entries of one RPC.
  std::size_t max_ids = 50000;
  // Peer-exchange entries per PRUNE.
  std::size_t max_px_peers = 1000;
};

// Decodes one RPC (the bytes after the uvarint length prefix). Errors: rpc_too_large,
// malformed_rpc (bad protobuf, wrong wire type; the detail names the message and field, never
// the bytes), limit_exceeded.
Result<Rpc> decode_rpc(ByteView rpc, const RpcLimits& limits = {});

// Encodes an RPC: subscriptions, publish entries from Message::raw (or from the fields when raw
// is empty), then the control message when it is not empty. SubOpts carry fields 1 and 2 only;
// PRUNE carries topic and backoff only.
Bytes encode_rpc(const Rpc& rpc);

// The Message protobuf of the fields in field order: 1 to 4 always (go's signer writes from,
// data, seqno and topic, in that order), 5 and 6 when non-empty.
Bytes encode_message(const Message& message);

// Decodes one Message (fields as above, `raw` = the input). Errors as decode_rpc.
Result<Message> decode_message(ByteView message, const RpcLimits& limits = {});

// Encoded sizes, for building RPCs under max_rpc_size without encoding twice.
std::size_t encoded_size(const SubOpts& sub);
std::size_t encoded_size(const ControlIHave& ihave);
std::size_t encoded_size(const ControlIWant& iwant);
std::size_t encoded_size(const ControlGraft& graft);
std::size_t encoded_size(const ControlPrune& prune);
std::size_t encoded_size(const ControlIDontWant& idontwant);
// The size of a length-delimited field with a payload of `payload` bytes and a one-byte tag.
std::size_t field_size(std::size_t payload);

}  // namespace cf::p2p::gossipsub
