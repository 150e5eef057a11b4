// go-ds-crdt nodes: dag-pb around a delta (see node.hpp).
#include "cf/crdt/node.hpp"

namespace cf::crdt {

Result<CrdtNode> decode_node(const multiformats::Cid& cid, ByteView block, const NodeLimits& limits) {
  CF_TRY(verify_block(cid, block));
  CF_TRY_ASSIGN(node, decode_dagpb(block, limits.dagpb));
  CrdtNode out;
  if (node.data) {
    CF_TRY_ASSIGN(delta, decode_delta(*node.data, limits.delta));
    out.delta = std::move(delta);
  }
  out.links.reserve(node.links.size());
  for (Link& link : node.links) out.links.push_back(std::move(link.cid));
  return out;
}

Bytes encode_node(const std::vector<multiformats::Cid>& links, const Delta& delta) {
  Node node;
  node.links.reserve(links.size());
  for (const auto& cid : links) node.links.push_back(Link{cid, std::string(), std::uint64_t{0}});
  node.data = encode_delta(delta);
  return encode_dagpb(node);
}

}  // namespace cf::crdt
