// The gossipsub RPC codec over cf::protowire (see rpc.hpp). One decode function per message
// type, each a loop over one nesting level.
#include "cf/p2p/gossipsub/rpc.hpp"

#include <string>

#include "cf/base/protowire.hpp"
#include "cf/p2p/gossipsub/errc.hpp"

namespace cf::p2p::gossipsub {
namespace {

namespace pw = cf::protowire;
using pw::WireType;

// What one RPC has used of the limits that span nesting levels.
struct Budget {
  const RpcLimits& limits;
  std::size_t ids = 0;
};

Error malformed(const char* where, const std::string& what) {
  return Error(errc::malformed_rpc, std::string("gossipsub ") + where + ": " + what);
}

Error over_limit(const char* what, std::size_t limit) {
  return Error(errc::limit_exceeded,
               std::string("gossipsub: more than ") + std::to_string(limit) + " " + what);
}

// The next field of `reader`, with protowire's complaint turned into malformed_rpc.
Result<std::optional<pw::Field>> next_field(pw::Reader& reader, const char* where) {
  auto field = reader.next();
  if (!field) return malformed(where, field.error().message());
  return field;
}

Status expect_type(const pw::Field& field, WireType type, const char* where) {
  if (field.type == type) return ok();
  return malformed(where, "field " + std::to_string(field.number) + " has wire type " +
                              std::to_string(static_cast<int>(field.type)));
}

Result<std::string> read_topic(const pw::Field& field, const RpcLimits& limits, const char* where) {
  CF_TRY(expect_type(field, WireType::length_delimited, where));
  if (field.bytes.size() > limits.max_topic_size) {
    return Error(errc::limit_exceeded, std::string("gossipsub ") + where + ": topic of " +
                                           std::to_string(field.bytes.size()) + " bytes");
  }
  return to_string(field.bytes);
}

Status read_id(const pw::Field& field, Budget& budget, std::vector<MessageId>& ids,
               const char* where) {
  CF_TRY(expect_type(field, WireType::length_delimited, where));
  if (field.bytes.size() > budget.limits.max_id_size) {
    return Error(errc::limit_exceeded, std::string("gossipsub ") + where + ": message ID of " +
                                           std::to_string(field.bytes.size()) + " bytes");
  }
  if (++budget.ids > budget.limits.max_ids) return over_limit("message IDs", budget.limits.max_ids);
  ids.emplace_back(field.bytes.begin(), field.bytes.end());
  return ok();
}

Result<SubOpts> decode_subopts(ByteView in, const RpcLimits& limits) {
  SubOpts out;
  pw::Reader reader(in);
  for (;;) {
    CF_TRY_ASSIGN(field, next_field(reader, "SubOpts"));
    if (!field) return out;
    if (field->number == 1) {
      CF_TRY(expect_type(*field, WireType::varint, "SubOpts"));
      out.subscribe = field->value != 0;
    } else if (field->number == 2) {
      CF_TRY_ASSIGN(topic, read_topic(*field, limits, "SubOpts"));
      out.topic = std::move(topic);
    } else if (field->number == 3 || field->number == 4) {
      // requestsPartial, supportsSendingPartial (go v0.16 always sends both): bools we ignore.
      CF_TRY(expect_type(*field, WireType::varint, "SubOpts"));
    }
  }
}

// The target of a Message field: from, data, seqno, (topic), signature, key.
Bytes* bytes_field(Message& m, std::uint32_t number) {
  switch (number) {
    case 1: return &m.from;
    case 2: return &m.data;
    case 3: return &m.seqno;
    case 5: return &m.signature;
    case 6: return &m.key;
    default: return nullptr;
  }
}

Result<std::vector<MessageId>> decode_id_list(ByteView in, std::uint32_t id_field, Budget& budget,
                                              const char* where) {
  std::vector<MessageId> ids;
  pw::Reader reader(in);
  for (;;) {
    CF_TRY_ASSIGN(field, next_field(reader, where));
    if (!field) return ids;
    if (field->number == id_field) CF_TRY(read_id(*field, budget, ids, where));
  }
}

Result<ControlIHave> decode_ihave(ByteView in, Budget& budget) {
  ControlIHave out;
  pw::Reader reader(in);
  for (;;) {
    CF_TRY_ASSIGN(field, next_field(reader, "ControlIHave"));
    if (!field) return out;
    if (field->number == 1) {
      CF_TRY_ASSIGN(topic, read_topic(*field, budget.limits, "ControlIHave"));
      out.topic = std::move(topic);
    } else if (field->number == 2) {
      CF_TRY(read_id(*field, budget, out.ids, "ControlIHave"));
    }
  }
}

Result<ControlGraft> decode_graft(ByteView in, const RpcLimits& limits) {
  ControlGraft out;
  pw::Reader reader(in);
  for (;;) {
    CF_TRY_ASSIGN(field, next_field(reader, "ControlGraft"));
    if (!field) return out;
    if (field->number == 1) {
      CF_TRY_ASSIGN(topic, read_topic(*field, limits, "ControlGraft"));
      out.topic = std::move(topic);
    }
  }
}

Result<ControlPrune> decode_prune(ByteView in, const RpcLimits& limits) {
  ControlPrune out;
  pw::Reader reader(in);
  for (;;) {
    CF_TRY_ASSIGN(field, next_field(reader, "ControlPrune"));
    if (!field) return out;
    if (field->number == 1) {
      CF_TRY_ASSIGN(topic, read_topic(*field, limits, "ControlPrune"));
      out.topic = std::move(topic);
    } else if (field->number == 2) {
      // PeerInfo{peerID, signedPeerRecord}: counted and skipped (we do not use PX).
      CF_TRY(expect_type(*field, WireType::length_delimited, "ControlPrune"));
      if (++out.px_peers > limits.max_px_peers) return over_limit("PX peers", limits.max_px_peers);
    } else if (field->number == 3) {
      CF_TRY(expect_type(*field, WireType::varint, "ControlPrune"));
      out.backoff = field->value;
    }
  }
}

// Appends one entry to a control list after checking the per-kind count.
template <typename T>
Status push_entry(std::vector<T>& list, Result<T> entry, const RpcLimits& limits,
                  const char* what) {
  if (!entry) return entry.error();
  if (list.size() >= limits.max_control_entries) return over_limit(what, limits.max_control_entries);
  list.push_back(std::move(*entry));
  return ok();
}

Status decode_control_field(const pw::Field& field, Budget& budget, ControlMessage& out) {
  const RpcLimits& limits = budget.limits;
  if (field.number > 5) return ok();  // 6 = extensions (1.3), and anything newer
  CF_TRY(expect_type(field, WireType::length_delimited, "ControlMessage"));
  switch (field.number) {
    case 1: return push_entry(out.ihave, decode_ihave(field.bytes, budget), limits, "IHAVE entries");
    case 2: {
      auto ids = decode_id_list(field.bytes, 1, budget, "ControlIWant");
      if (!ids) return ids.error();
      return push_entry(out.iwant, Result<ControlIWant>(ControlIWant{std::move(*ids)}), limits,
                        "IWANT entries");
    }
    case 3: return push_entry(out.graft, decode_graft(field.bytes, limits), limits, "GRAFT entries");
    case 4: return push_entry(out.prune, decode_prune(field.bytes, limits), limits, "PRUNE entries");
    default: {
      auto ids = decode_id_list(field.bytes, 1, budget, "ControlIDontWant");
      if (!ids) return ids.error();
      return push_entry(out.idontwant, Result<ControlIDontWant>(ControlIDontWant{std::move(*ids)}),
                        limits, "IDONTWANT entries");
    }
  }
}

// Merges one ControlMessage into `out` (a repeated `control` field merges, as in protobuf).
Status decode_control(ByteView in, Budget& budget, ControlMessage& out) {
  pw::Reader reader(in);
  for (;;) {
    CF_TRY_ASSIGN(field, next_field(reader, "ControlMessage"));
    if (!field) return ok();
    CF_TRY(decode_control_field(*field, budget, out));
  }
}

Status decode_rpc_field(const pw::Field& field, Budget& budget, Rpc& out) {
  const RpcLimits& limits = budget.limits;
  if (field.number < 1 || field.number > 3) return ok();  // partial, testExtension, unknown
  CF_TRY(expect_type(field, WireType::length_delimited, "RPC"));
  if (field.number == 1) {
    CF_TRY_ASSIGN(sub, decode_subopts(field.bytes, limits));
    if (out.subscriptions.size() >= limits.max_subscriptions) {
      return over_limit("subscriptions", limits.max_subscriptions);
    }
    out.subscriptions.push_back(std::move(sub));
  } else if (field.number == 2) {
    if (out.publish.size() >= limits.max_messages) return over_limit("messages", limits.max_messages);
    CF_TRY_ASSIGN(message, decode_message(field.bytes, limits));
    out.publish.push_back(std::move(message));
  } else {
    CF_TRY(decode_control(field.bytes, budget, out.control));
  }
  return ok();
}

void append_ids(Bytes& out, std::uint32_t number, const std::vector<MessageId>& ids) {
  for (const auto& id : ids) pw::append_bytes_field(out, number, id);
}

std::size_t ids_size(const std::vector<MessageId>& ids) {
  std::size_t n = 0;
  for (const auto& id : ids) n += field_size(id.size());
  return n;
}

std::size_t ihave_payload(const ControlIHave& e) { return field_size(e.topic.size()) + ids_size(e.ids); }
std::size_t prune_payload(const ControlPrune& e) {
  return field_size(e.topic.size()) + (e.backoff ? 1 + pw::varint_size(*e.backoff) : 0);
}

Bytes encode_control(const ControlMessage& c) {
  Bytes out;
  for (const auto& e : c.ihave) {
    pw::append_tag(out, 1, WireType::length_delimited);
    pw::append_varint(out, ihave_payload(e));
    pw::append_string_field(out, 1, e.topic);
    append_ids(out, 2, e.ids);
  }
  for (const auto& e : c.iwant) {
    pw::append_tag(out, 2, WireType::length_delimited);
    pw::append_varint(out, ids_size(e.ids));
    append_ids(out, 1, e.ids);
  }
  for (const auto& e : c.graft) {
    pw::append_tag(out, 3, WireType::length_delimited);
    pw::append_varint(out, field_size(e.topic.size()));
    pw::append_string_field(out, 1, e.topic);
  }
  for (const auto& e : c.prune) {
    pw::append_tag(out, 4, WireType::length_delimited);
    pw::append_varint(out, prune_payload(e));
    pw::append_string_field(out, 1, e.topic);
    if (e.backoff) pw::append_varint_field(out, 3, *e.backoff);
  }
  for (const auto& e : c.idontwant) {
    pw::append_tag(out, 5, WireType::length_delimited);
    pw::append_varint(out, ids_size(e.ids));
    append_ids(out, 1, e.ids);
  }
  return out;
}

}  // namespace

std::size_t field_size(std::size_t payload) { return 1 + pw::varint_size(payload) + payload; }

std::size_t encoded_size(const SubOpts& sub) { return field_size(2 + field_size(sub.topic.size())); }
std::size_t encoded_size(const ControlIHave& ihave) { return field_size(ihave_payload(ihave)); }
std::size_t encoded_size(const ControlIWant& iwant) { return field_size(ids_size(iwant.ids)); }
std::size_t encoded_size(const ControlGraft& graft) {
  return field_size(field_size(graft.topic.size()));
}
std::size_t encoded_size(const ControlPrune& prune) { return field_size(prune_payload(prune)); }
std::size_t encoded_size(const ControlIDontWant& idontwant) {
  return field_size(ids_size(idontwant.ids));
}

Result<Message> decode_message(ByteView in, const RpcLimits& limits) {
  Message out;
  pw::Reader reader(in);
  for (;;) {
    CF_TRY_ASSIGN(field, next_field(reader, "Message"));
    if (!field) break;
    if (field->number == 4) {
      CF_TRY_ASSIGN(topic, read_topic(*field, limits, "Message"));
      out.topic = std::move(topic);
    } else if (Bytes* target = bytes_field(out, field->number)) {
      CF_TRY(expect_type(*field, WireType::length_delimited, "Message"));
      target->assign(field->bytes.begin(), field->bytes.end());
    }
  }
  out.raw.assign(in.begin(), in.end());
  return out;
}

Result<Rpc> decode_rpc(ByteView in, const RpcLimits& limits) {
  if (in.size() > limits.max_size) {
    return Error(errc::rpc_too_large, "gossipsub RPC of " + std::to_string(in.size()) +
                                          " bytes (limit " + std::to_string(limits.max_size) + ")");
  }
  Rpc out;
  Budget budget{limits};
  pw::Reader reader(in);
  for (;;) {
    CF_TRY_ASSIGN(field, next_field(reader, "RPC"));
    if (!field) return out;
    CF_TRY(decode_rpc_field(*field, budget, out));
  }
}

Bytes encode_message(const Message& m) {
  Bytes out;
  pw::append_bytes_field(out, 1, m.from);
  pw::append_bytes_field(out, 2, m.data);
  pw::append_bytes_field(out, 3, m.seqno);
  pw::append_string_field(out, 4, m.topic);
  if (!m.signature.empty()) pw::append_bytes_field(out, 5, m.signature);
  if (!m.key.empty()) pw::append_bytes_field(out, 6, m.key);
  return out;
}

Bytes encode_rpc(const Rpc& rpc) {
  Bytes out;
  for (const auto& sub : rpc.subscriptions) {
    pw::append_tag(out, 1, WireType::length_delimited);
    pw::append_varint(out, 2 + field_size(sub.topic.size()));
    pw::append_varint_field(out, 1, sub.subscribe ? 1 : 0);
    pw::append_string_field(out, 2, sub.topic);
  }
  for (const auto& m : rpc.publish) {
    pw::append_bytes_field(out, 2, m.raw.empty() ? encode_message(m) : m.raw);
  }
  if (!rpc.control.empty()) pw::append_bytes_field(out, 3, encode_control(rpc.control));
  return out;
}

}  // namespace cf::p2p::gossipsub
