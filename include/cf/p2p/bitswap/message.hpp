// Bitswap 1.2.0 messages: the protobuf codec, sans-I/O, over cf::protowire.
// Follows boxo v0.39 bitswap/message/pb/message.proto and message.go (newMessageFromProto,
// ToProtoV1), as summarised in docs/reference/libp2p-wire.md §8.2. Framing (uvarint length
// prefixes, several messages per stream) is p2p/conn/frames.hpp's FrameReader/append_frame
// with max_message_size.
//
// Decoding follows proto3: absent fields take their defaults, a repeated scalar field keeps
// its last value, a sub-message that occurs twice is merged (so two `wantlist` fields give one
// list), unknown fields are skipped. Everything else is strict, as boxo is where it decides:
// - A known field with the wrong wire type is errc::malformed (proto.Unmarshal fails too).
// - A want entry or presence without a CID is errc::missing_cid, one whose CID does not parse
//   errc::invalid_cid: the whole message is refused, as boxo's cid.Cast failure refuses it.
//   CIDs longer than Limits::max_cid_size are refused too (boxo's server skips those entries;
//   no peer of ours sends them).
// - An enum value outside the proto's enum (wantType, presence type) is errc::invalid_enum.
// - Field 2 `blocks` (bitswap 1.0.0 raw blocks) is accepted, as boxo accepts it: each becomes a
//   payload entry with the CIDv0 prefix 00 70 12 20 (boxo blocks.NewBlock hashes them as
//   CIDv0 sha2-256). encode_message writes payload (field 3) only, so a 1.0.0 message
//   re-encodes as its 1.1.0 form.
// - Counts are bounded by Limits before any entry is stored; decode_message never hashes:
//   block verification is verify.hpp's job (Client does it for every payload block).
// Decoding keeps entries as they came (no merging of duplicate CIDs, unlike boxo's map).
//
// Encoding omits proto3 defaults, writes fields in number order, and writes `wantlist` only
// when it has entries or full is set. Errors name sizes and indices, never received bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/multiformats/cid.hpp"
#include "cf/multiformats/peer_id.hpp"

namespace cf::p2p::bitswap {

inline constexpr std::string_view protocol_id = "/ipfs/bitswap/1.2.0";
// go's network.MessageSizeMax: the largest message a go peer reads (and so we send).
inline constexpr std::size_t max_message_size = 4 << 20;
// boxo's defaults.MaximumAllowedCid: four 10-byte varints and a 128-byte digest.
inline constexpr std::size_t max_cid_size = 4 * 10 + 128;

enum class WantType : std::uint8_t { block = 0, have = 1 };

struct WantEntry {
  multiformats::Cid cid;
  std::int32_t priority = 0;
  bool cancel = false;
  WantType type = WantType::block;
  bool send_dont_have = false;

  friend bool operator==(const WantEntry&, const WantEntry&) = default;
};

// A block on the wire: the CID prefix (verify.hpp cid_prefix) and the data.
struct BlockPayload {
  Bytes prefix;
  Bytes data;

  friend bool operator==(const BlockPayload&, const BlockPayload&) = default;
};

enum class PresenceType : std::uint8_t { have = 0, dont_have = 1 };

struct Presence {
  multiformats::Cid cid;
  PresenceType type = PresenceType::have;

  friend bool operator==(const Presence&, const Presence&) = default;
};

struct Message {
  std::vector<WantEntry> wantlist;
  bool full = false;  // the want list replaces the receiver's ledger for us
  std::vector<BlockPayload> payload;
  std::vector<Presence> presences;
  std::int32_t pending_bytes = 0;

  bool empty() const { return wantlist.empty() && payload.empty() && presences.empty(); }
  friend bool operator==(const Message&, const Message&) = default;
};

// A message for the I/O layer to send to `peer` (Client and Server output). Servers send each
// on a new stream, as go does (libp2p-wire.md §8.3 step 2).
struct Outgoing {
  multiformats::PeerId peer;
  Message message;
};

// Bounds applied while decoding. With the defaults a message holds at most about 20 MB of
// decoded entries (65536 CIDs) on top of its own 4 MiB.
struct Limits {
  std::size_t max_message_size = bitswap::max_message_size;
  std::size_t max_entries = 65536;
  std::size_t max_blocks = 16384;  // fields 2 and 3 together
  std::size_t max_presences = 65536;
  std::size_t max_cid_size = bitswap::max_cid_size;
};

// One message body (without its length prefix). Errors: see the header comment and errc.hpp.
Result<Message> decode_message(ByteView bytes, const Limits& limits = {});

Bytes encode_message(const Message& message);
// encode_message(message).size(), computed without encoding.
std::size_t encoded_size(const Message& message);

// What one item adds to the encoding of its parent (tag, length and body).
std::size_t wire_size(const WantEntry& entry);
std::size_t wire_size(const BlockPayload& block);
std::size_t wire_size(const Presence& presence);

// Splits `message` into messages that each encode to at most `max_size` bytes, keeping the
// item order: want entries, then presences, then blocks. An item too big for `max_size` on its
// own goes alone in a message of its own. `full` goes on the first message only (the rest are
// deltas on top of it), pending_bytes on the last. An empty message gives one empty message.
std::vector<Message> split_message(Message message, std::size_t max_size);

}  // namespace cf::p2p::bitswap
