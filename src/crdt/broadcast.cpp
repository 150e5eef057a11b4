// CRDTBroadcast (see broadcast.hpp for the proto3 and legacy rules it mirrors).
#include "cf/crdt/broadcast.hpp"

#include <string>

#include "cf/base/protowire.hpp"
#include "cf/crdt/errc.hpp"

namespace cf::crdt {
namespace {

namespace mf = multiformats;
namespace pw = protowire;

constexpr std::uint32_t heads_field = 1;
constexpr std::uint32_t cid_field = 1;

Error malformed(const std::string& what) { return Error(errc::malformed_broadcast, "broadcast: " + what); }

// The Cid bytes of one Head: the last length-delimited field 1, empty if there is none.
Result<ByteView> head_cid_bytes(ByteView head, const std::string& where) {
  ByteView cid;
  pw::Reader reader(head);
  for (;;) {
    auto next = reader.next();
    if (!next) return malformed(where + ": " + next.error().message());
    if (!*next) break;
    const pw::Field& f = **next;
    if (f.number == cid_field && f.type == pw::WireType::length_delimited) cid = f.bytes;
  }
  return cid;
}

}  // namespace

Result<std::vector<mf::Cid>> decode_broadcast(ByteView message, const BroadcastLimits& limits) {
  if (message.size() > limits.max_message_size) {
    return Error(errc::too_large, "broadcast: " + std::to_string(message.size()) + " bytes, more than " +
                                      std::to_string(limits.max_message_size));
  }
  std::vector<ByteView> heads;
  Bytes unknown;
  pw::Reader reader(message);
  for (;;) {
    auto next = reader.next();
    if (!next) return malformed(next.error().message());
    if (!*next) break;
    const pw::Field& f = **next;
    if (f.number != heads_field || f.type != pw::WireType::length_delimited) {
      unknown.insert(unknown.end(), f.raw.begin(), f.raw.end());
      continue;
    }
    if (heads.size() >= limits.max_heads) {
      return Error(errc::too_large, "broadcast: more than " + std::to_string(limits.max_heads) + " heads");
    }
    const std::string where = "Heads[" + std::to_string(heads.size()) + "]";
    CF_TRY_ASSIGN(cid, head_cid_bytes(f.bytes, where));
    heads.push_back(cid);
  }
  std::vector<mf::Cid> out;
  if (!unknown.empty()) {
    auto legacy = mf::Cid::from_bytes(unknown);
    if (!legacy) {
      return malformed(std::to_string(unknown.size()) + " bytes of unknown fields are not one legacy CID (" +
                       legacy.error().code().message() + ")");
    }
    out.push_back(std::move(*legacy));
    return out;
  }
  out.reserve(heads.size());
  for (std::size_t i = 0; i < heads.size(); ++i) {
    auto cid = mf::Cid::from_bytes(heads[i]);
    if (!cid) {
      return malformed("Heads[" + std::to_string(i) + "].Cid: not a CID (" + cid.error().code().message() + ")");
    }
    out.push_back(std::move(*cid));
  }
  return out;
}

Bytes encode_broadcast(const std::vector<mf::Cid>& heads) {
  Bytes out;
  Bytes head;
  for (const auto& cid : heads) {
    head.clear();
    pw::append_bytes_field(head, cid_field, cid.bytes());
    pw::append_bytes_field(out, heads_field, head);
  }
  return out;
}

}  // namespace cf::crdt
