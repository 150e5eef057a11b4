// Bitswap message codec (see message.hpp for the rules it follows).
#include "cf/p2p/bitswap/message.hpp"

#include <string>
#include <utility>

#include "cf/base/protowire.hpp"
#include "cf/p2p/bitswap/errc.hpp"

namespace cf::p2p::bitswap {
namespace {

namespace pw = cf::protowire;
namespace mf = cf::multiformats;

// Field numbers of message.proto.
namespace field {
constexpr std::uint32_t wantlist = 1, blocks = 2, payload = 3, presences = 4, pending_bytes = 5;
constexpr std::uint32_t entries = 1, full = 2;                            // Wantlist
constexpr std::uint32_t block = 1, priority = 2, cancel = 3, want_type = 4,
                        send_dont_have = 5;                               // Wantlist.Entry
constexpr std::uint32_t prefix = 1, data = 2;                             // Block
constexpr std::uint32_t cid = 1, type = 2;                                // BlockPresence
}  // namespace field

// The prefix boxo's blocks.NewBlock gives a bitswap 1.0.0 block: CIDv0, dag-pb, sha2-256/32.
const Bytes v0_prefix{0x00, 0x70, 0x12, 0x20};

Error malformed(const std::string& where, const Error& inner) {
  return Error(errc::malformed, where + ": " + inner.message());
}

Error wrong_type(const std::string& where, std::uint32_t number) {
  return Error(errc::malformed, where + ": field " + std::to_string(number) + " has the wrong wire type");
}

// proto3 int32 and enums: the low 32 bits of the varint, as protobuf reads them.
std::int32_t to_int32(std::uint64_t value) {
  return static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
}

// The varint encoding of an int32 (negative values sign-extend to ten bytes).
std::uint64_t from_int32(std::int32_t value) {
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(value));
}

// Calls on_field for each field of one message level; protobuf errors become errc::malformed.
template <typename OnField>
Status for_each_field(ByteView bytes, const std::string& where, OnField&& on_field) {
  pw::Reader reader(bytes);
  for (;;) {
    auto next = reader.next();
    if (!next) return malformed(where, next.error());
    if (!*next) return ok();
    CF_TRY(on_field(**next));
  }
}

Status expect(const pw::Field& f, pw::WireType type, const std::string& where) {
  if (f.type != type) return wrong_type(where, f.number);
  return ok();
}

Result<mf::Cid> read_cid(ByteView bytes, const Limits& limits, const std::string& where) {
  if (bytes.empty()) return Error(errc::missing_cid, where + ": no CID");
  if (bytes.size() > limits.max_cid_size) {
    return Error(errc::cid_too_large, where + ": CID is " + std::to_string(bytes.size()) +
                                          " bytes, limit " + std::to_string(limits.max_cid_size));
  }
  auto cid = mf::Cid::from_bytes(bytes);
  if (!cid) {
    return Error(errc::invalid_cid, where + ": CID of " + std::to_string(bytes.size()) +
                                        " bytes does not parse (" + cid.error().code().message() + ")");
  }
  return cid;
}

Result<WantEntry> decode_entry(ByteView bytes, const Limits& limits, const std::string& where) {
  ByteView cid_bytes;
  // The fields other than the CID, in a WantEntry once the CID has parsed.
  struct {
    std::int32_t priority = 0;
    bool cancel = false;
    WantType type = WantType::block;
    bool send_dont_have = false;
  } entry;
  CF_TRY(for_each_field(bytes, where, [&](const pw::Field& f) -> Status {
    switch (f.number) {
      case field::block:
        CF_TRY(expect(f, pw::WireType::length_delimited, where));
        cid_bytes = f.bytes;
        return ok();
      case field::priority:
        CF_TRY(expect(f, pw::WireType::varint, where));
        entry.priority = to_int32(f.value);
        return ok();
      case field::cancel:
        CF_TRY(expect(f, pw::WireType::varint, where));
        entry.cancel = f.value != 0;
        return ok();
      case field::want_type: {
        CF_TRY(expect(f, pw::WireType::varint, where));
        const std::int32_t type = to_int32(f.value);
        if (type != 0 && type != 1) {
          return Error(errc::invalid_enum, where + ": wantType " + std::to_string(type));
        }
        entry.type = static_cast<WantType>(type);
        return ok();
      }
      case field::send_dont_have:
        CF_TRY(expect(f, pw::WireType::varint, where));
        entry.send_dont_have = f.value != 0;
        return ok();
      default:
        return ok();
    }
  }));
  CF_TRY_ASSIGN(cid, read_cid(cid_bytes, limits, where));
  return WantEntry{std::move(cid), entry.priority, entry.cancel, entry.type, entry.send_dont_have};
}

Status decode_wantlist(ByteView bytes, const Limits& limits, Message& m) {
  return for_each_field(bytes, "wantlist", [&](const pw::Field& f) -> Status {
    if (f.number == field::full) {
      CF_TRY(expect(f, pw::WireType::varint, "wantlist"));
      m.full = f.value != 0;
    } else if (f.number == field::entries) {
      CF_TRY(expect(f, pw::WireType::length_delimited, "wantlist"));
      if (m.wantlist.size() >= limits.max_entries) {
        return Error(errc::too_many_entries,
                     "more than " + std::to_string(limits.max_entries) + " want-list entries");
      }
      CF_TRY_ASSIGN(entry, decode_entry(f.bytes, limits, "want entry " + std::to_string(m.wantlist.size())));
      m.wantlist.push_back(std::move(entry));
    }
    return ok();
  });
}

Result<BlockPayload> decode_block(ByteView bytes, const std::string& where) {
  BlockPayload block;
  CF_TRY(for_each_field(bytes, where, [&](const pw::Field& f) -> Status {
    if (f.number != field::prefix && f.number != field::data) return ok();
    CF_TRY(expect(f, pw::WireType::length_delimited, where));
    (f.number == field::prefix ? block.prefix : block.data).assign(f.bytes.begin(), f.bytes.end());
    return ok();
  }));
  return block;
}

Result<Presence> decode_presence(ByteView bytes, const Limits& limits, const std::string& where) {
  ByteView cid_bytes;
  PresenceType type = PresenceType::have;
  CF_TRY(for_each_field(bytes, where, [&](const pw::Field& f) -> Status {
    if (f.number == field::cid) {
      CF_TRY(expect(f, pw::WireType::length_delimited, where));
      cid_bytes = f.bytes;
    } else if (f.number == field::type) {
      CF_TRY(expect(f, pw::WireType::varint, where));
      const std::int32_t value = to_int32(f.value);
      if (value != 0 && value != 1) {
        return Error(errc::invalid_enum, where + ": presence type " + std::to_string(value));
      }
      type = static_cast<PresenceType>(value);
    }
    return ok();
  }));
  CF_TRY_ASSIGN(cid, read_cid(cid_bytes, limits, where));
  return Presence{std::move(cid), type};
}

Status check_block_count(const Message& m, const Limits& limits) {
  if (m.payload.size() < limits.max_blocks) return ok();
  return Error(errc::too_many_blocks, "more than " + std::to_string(limits.max_blocks) + " blocks");
}

Status decode_top_field(const pw::Field& f, const Limits& limits, Message& m) {
  switch (f.number) {
    case field::wantlist:
      CF_TRY(expect(f, pw::WireType::length_delimited, "message"));
      return decode_wantlist(f.bytes, limits, m);
    case field::blocks:
      CF_TRY(expect(f, pw::WireType::length_delimited, "message"));
      CF_TRY(check_block_count(m, limits));
      m.payload.push_back(BlockPayload{v0_prefix, Bytes(f.bytes.begin(), f.bytes.end())});
      return ok();
    case field::payload: {
      CF_TRY(expect(f, pw::WireType::length_delimited, "message"));
      CF_TRY(check_block_count(m, limits));
      CF_TRY_ASSIGN(block, decode_block(f.bytes, "block " + std::to_string(m.payload.size())));
      m.payload.push_back(std::move(block));
      return ok();
    }
    case field::presences: {
      CF_TRY(expect(f, pw::WireType::length_delimited, "message"));
      if (m.presences.size() >= limits.max_presences) {
        return Error(errc::too_many_presences,
                     "more than " + std::to_string(limits.max_presences) + " block presences");
      }
      CF_TRY_ASSIGN(presence,
                    decode_presence(f.bytes, limits, "presence " + std::to_string(m.presences.size())));
      m.presences.push_back(std::move(presence));
      return ok();
    }
    case field::pending_bytes:
      CF_TRY(expect(f, pw::WireType::varint, "message"));
      m.pending_bytes = to_int32(f.value);
      return ok();
    default:
      return ok();
  }
}

std::size_t length_delimited_size(std::size_t body) { return 1 + pw::varint_size(body) + body; }

std::size_t entry_body_size(const WantEntry& e) {
  std::size_t n = length_delimited_size(e.cid.bytes().size());
  if (e.priority != 0) n += 1 + pw::varint_size(from_int32(e.priority));
  if (e.cancel) n += 2;
  if (e.type != WantType::block) n += 2;
  if (e.send_dont_have) n += 2;
  return n;
}

std::size_t block_body_size(const BlockPayload& b) {
  std::size_t n = 0;
  if (!b.prefix.empty()) n += length_delimited_size(b.prefix.size());
  if (!b.data.empty()) n += length_delimited_size(b.data.size());
  return n;
}

std::size_t presence_body_size(const Presence& p) {
  return length_delimited_size(p.cid.bytes().size()) + (p.type != PresenceType::have ? 2 : 0);
}

std::size_t pending_size(std::int32_t pending) {
  return pending == 0 ? 0 : 1 + pw::varint_size(from_int32(pending));
}

// The encoded size of a message from its parts: the wantlist body (entries and full), the
// blocks and presences, and pending_bytes.
std::size_t message_size(std::size_t wantlist_body, std::size_t rest, std::int32_t pending) {
  return (wantlist_body == 0 ? 0 : length_delimited_size(wantlist_body)) + rest +
         pending_size(pending);
}

}  // namespace

Result<Message> decode_message(ByteView bytes, const Limits& limits) {
  if (bytes.size() > limits.max_message_size) {
    return Error(errc::message_too_large, "message is " + std::to_string(bytes.size()) +
                                              " bytes, limit " +
                                              std::to_string(limits.max_message_size));
  }
  Message m;
  CF_TRY(for_each_field(bytes, "message",
                        [&](const pw::Field& f) { return decode_top_field(f, limits, m); }));
  return m;
}

std::size_t wire_size(const WantEntry& entry) { return length_delimited_size(entry_body_size(entry)); }
std::size_t wire_size(const BlockPayload& block) { return length_delimited_size(block_body_size(block)); }
std::size_t wire_size(const Presence& presence) {
  return length_delimited_size(presence_body_size(presence));
}

std::size_t encoded_size(const Message& m) {
  std::size_t wantlist = m.full ? 2 : 0;
  for (const auto& e : m.wantlist) wantlist += wire_size(e);
  std::size_t rest = 0;
  for (const auto& b : m.payload) rest += wire_size(b);
  for (const auto& p : m.presences) rest += wire_size(p);
  return message_size(wantlist, rest, m.pending_bytes);
}

Bytes encode_message(const Message& m) {
  Bytes out;
  out.reserve(encoded_size(m));
  if (!m.wantlist.empty() || m.full) {
    std::size_t body = m.full ? 2 : 0;
    for (const auto& e : m.wantlist) body += wire_size(e);
    pw::append_tag(out, field::wantlist, pw::WireType::length_delimited);
    pw::append_varint(out, body);
    for (const auto& e : m.wantlist) {
      pw::append_tag(out, field::entries, pw::WireType::length_delimited);
      pw::append_varint(out, entry_body_size(e));
      pw::append_bytes_field(out, field::block, e.cid.bytes());
      if (e.priority != 0) pw::append_varint_field(out, field::priority, from_int32(e.priority));
      if (e.cancel) pw::append_varint_field(out, field::cancel, 1);
      if (e.type != WantType::block) pw::append_varint_field(out, field::want_type, 1);
      if (e.send_dont_have) pw::append_varint_field(out, field::send_dont_have, 1);
    }
    if (m.full) pw::append_varint_field(out, field::full, 1);
  }
  for (const auto& b : m.payload) {
    pw::append_tag(out, field::payload, pw::WireType::length_delimited);
    pw::append_varint(out, block_body_size(b));
    if (!b.prefix.empty()) pw::append_bytes_field(out, field::prefix, b.prefix);
    if (!b.data.empty()) pw::append_bytes_field(out, field::data, b.data);
  }
  for (const auto& p : m.presences) {
    pw::append_tag(out, field::presences, pw::WireType::length_delimited);
    pw::append_varint(out, presence_body_size(p));
    pw::append_bytes_field(out, field::cid, p.cid.bytes());
    if (p.type != PresenceType::have) pw::append_varint_field(out, field::type, 1);
  }
  if (m.pending_bytes != 0) {
    pw::append_varint_field(out, field::pending_bytes, from_int32(m.pending_bytes));
  }
  return out;
}

std::vector<Message> split_message(Message message, std::size_t max_size) {
  std::vector<Message> out(1);
  out.back().full = message.full;
  // Every part is sized as if it carried pending_bytes, which only the last one does.
  const std::int32_t pending = message.pending_bytes;
  std::size_t wantlist = message.full ? 2 : 0;
  std::size_t rest = 0;
  auto make_room = [&](std::size_t wantlist_add, std::size_t rest_add) {
    const bool has_items = !out.back().empty();
    if (has_items && message_size(wantlist + wantlist_add, rest + rest_add, pending) > max_size) {
      out.emplace_back();
      wantlist = 0;
      rest = 0;
    }
    wantlist += wantlist_add;
    rest += rest_add;
  };
  for (auto& e : message.wantlist) {
    make_room(wire_size(e), 0);
    out.back().wantlist.push_back(std::move(e));
  }
  for (auto& p : message.presences) {
    make_room(0, wire_size(p));
    out.back().presences.push_back(std::move(p));
  }
  for (auto& b : message.payload) {
    make_room(0, wire_size(b));
    out.back().payload.push_back(std::move(b));
  }
  out.back().pending_bytes = pending;
  return out;
}

}  // namespace cf::p2p::bitswap
