// Strict dag-pb (see dagpb.hpp for the rules and where they come from).
#include "cf/crdt/dagpb.hpp"

#include <string>

#include "cf/base/protowire.hpp"
#include "cf/crdt/errc.hpp"
#include "cf/multiformats/multicodec.hpp"

namespace cf::crdt {
namespace {

namespace mf = multiformats;
namespace pw = protowire;

constexpr std::uint32_t data_field = 1;
constexpr std::uint32_t links_field = 2;
constexpr std::uint32_t hash_field = 1;
constexpr std::uint32_t name_field = 2;
constexpr std::uint32_t tsize_field = 3;
constexpr std::size_t sha2_256_size = 32;

Error malformed(const std::string& what) { return Error(errc::malformed_node, "dag-pb: " + what); }

std::string link_at(std::size_t index) { return "Links[" + std::to_string(index) + "]"; }

// The reader's own detail says what was wrong and where; it never quotes input bytes.
Error unreadable(const std::string& where, const Error& e) { return malformed(where + ": " + e.message()); }

// A wire type's name, for error messages.
std::string wire_type_name(pw::WireType t) {
  switch (t) {
    case pw::WireType::varint: return "varint";
    case pw::WireType::fixed64: return "fixed64";
    case pw::WireType::length_delimited: return "length-delimited";
    case pw::WireType::fixed32: return "fixed32";
  }
  return "unknown";
}

// One PBLink: Hash, Name, Tsize in that order, each at most once, nothing else.
Result<Link> decode_link(ByteView bytes, std::size_t index) {
  const std::string where = link_at(index);
  pw::Reader reader(bytes);
  std::optional<mf::Cid> cid;
  std::optional<std::string> name;
  std::optional<std::uint64_t> tsize;
  std::uint32_t last = 0;  // the highest field number seen so far
  for (;;) {
    auto next = reader.next();
    if (!next) return unreadable(where, next.error());
    if (!*next) break;
    const pw::Field& f = **next;
    if (f.number < hash_field || f.number > tsize_field) {
      return malformed(where + ": unknown field " + std::to_string(f.number));
    }
    if (f.number == last) return malformed(where + ": duplicate field " + std::to_string(f.number));
    if (f.number < last) {
      return malformed(where + ": field " + std::to_string(f.number) + " after field " + std::to_string(last));
    }
    last = f.number;
    const auto want = f.number == tsize_field ? pw::WireType::varint : pw::WireType::length_delimited;
    if (f.type != want) {
      return malformed(where + ": field " + std::to_string(f.number) + " is " + wire_type_name(f.type) +
                       ", want " + wire_type_name(want));
    }
    if (f.number == hash_field) {
      auto parsed = mf::Cid::from_bytes(f.bytes);
      // The code's message only: the CID's own detail would quote the bytes.
      if (!parsed) return malformed(where + ".Hash: not a CID (" + parsed.error().code().message() + ")");
      cid = std::move(*parsed);
    } else if (f.number == name_field) {
      name = to_string(f.bytes);
    } else {
      tsize = f.value;
    }
  }
  if (!cid) return malformed(where + ": no Hash");
  return Link{std::move(*cid), std::move(name), tsize};
}

}  // namespace

Result<Node> decode_dagpb(ByteView block, const DagPbLimits& limits) {
  if (block.size() > limits.max_block_size) {
    return Error(errc::too_large, "dag-pb: block is " + std::to_string(block.size()) + " bytes, more than " +
                                      std::to_string(limits.max_block_size));
  }
  enum class LinksRun { before, inside, after } run = LinksRun::before;
  Node node;
  pw::Reader reader(block);
  for (;;) {
    const std::size_t offset = reader.offset();
    auto next = reader.next();
    if (!next) return unreadable("PBNode", next.error());
    if (!*next) break;
    const pw::Field& f = **next;
    const std::string at = " at byte " + std::to_string(offset);
    if (f.number != data_field && f.number != links_field) {
      return malformed("unknown field " + std::to_string(f.number) + at);
    }
    if (f.type != pw::WireType::length_delimited) {
      return malformed("field " + std::to_string(f.number) + " is " + wire_type_name(f.type) + at +
                       ", want length-delimited");
    }
    if (f.number == data_field) {
      if (node.data) return malformed("duplicate Data" + at);
      node.data = Bytes(f.bytes.begin(), f.bytes.end());
      if (run == LinksRun::inside) run = LinksRun::after;
      continue;
    }
    if (run == LinksRun::after) return malformed("duplicate Links section (links on both sides of Data)" + at);
    run = LinksRun::inside;
    if (node.links.size() >= limits.max_links) {
      return Error(errc::too_large, "dag-pb: more than " + std::to_string(limits.max_links) + " links");
    }
    CF_TRY_ASSIGN(link, decode_link(f.bytes, node.links.size()));
    node.links.push_back(std::move(link));
  }
  return node;
}

Bytes encode_dagpb(const Node& node) {
  Bytes out;
  Bytes link_bytes;
  for (const Link& link : node.links) {
    link_bytes.clear();
    pw::append_bytes_field(link_bytes, hash_field, link.cid.bytes());
    if (link.name) pw::append_string_field(link_bytes, name_field, *link.name);
    if (link.tsize) pw::append_varint_field(link_bytes, tsize_field, *link.tsize);
    pw::append_bytes_field(out, links_field, link_bytes);
  }
  if (node.data) pw::append_bytes_field(out, data_field, *node.data);
  return out;
}

mf::Cid node_cid(ByteView block) { return mf::Cid::v1(mf::multicodec::dag_pb, mf::Multihash::sha2_256(block)); }

Status verify_block(const mf::Cid& cid, ByteView block) {
  if (cid.codec() != mf::multicodec::dag_pb) {
    return Error(errc::unsupported_cid, "CID codec " + std::to_string(cid.codec()) + " is not dag-pb (112)");
  }
  const mf::Multihash& hash = cid.hash();
  if (hash.code() != mf::multicodec::sha2_256 || hash.digest().size() != sha2_256_size) {
    return Error(errc::unsupported_cid, "CID multihash " + std::to_string(hash.code()) + " with a " +
                                            std::to_string(hash.digest().size()) +
                                            "-byte digest is not sha2-256/32");
  }
  if (mf::Multihash::sha2_256(block) != hash) {
    return Error(errc::hash_mismatch, "block of " + std::to_string(block.size()) + " bytes does not hash to " +
                                          cid.to_string());
  }
  return ok();
}

}  // namespace cf::crdt
