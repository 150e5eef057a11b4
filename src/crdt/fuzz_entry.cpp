// libFuzzer-ready entry points for the crdt codecs (see fuzz_entry.hpp).
#include "fuzz_entry.hpp"

#include <cstdlib>
#include <string_view>

#include "cf/crdt/broadcast.hpp"
#include "cf/crdt/dagpb.hpp"
#include "cf/crdt/delta.hpp"
#include "cf/crdt/keys.hpp"
#include "cf/crdt/node.hpp"

namespace {

namespace crdt = cf::crdt;

// A round trip that fails is a bug in our own encoder or decoder.
void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

int fuzz_dagpb(const std::uint8_t* data, std::size_t size) {
  const cf::ByteView block(data, size);
  if (auto node = crdt::decode_dagpb(block)) {
    auto again = crdt::decode_dagpb(crdt::encode_dagpb(*node));
    check(again && *again == *node);
  }
  if (auto node = crdt::decode_node(crdt::node_cid(block), block)) {
    // Re-encoding adds Name and Tsize to links without them, so it can outgrow the bound.
    const cf::Bytes bytes = crdt::encode_node(node->links, node->delta);
    if (bytes.size() <= crdt::DagPbLimits{}.max_block_size) {
      auto again = crdt::decode_node(crdt::node_cid(bytes), bytes);
      check(again && *again == *node);
    }
  }
  return 0;
}

int fuzz_delta(const std::uint8_t* data, std::size_t size) {
  if (auto delta = crdt::decode_delta(cf::ByteView(data, size))) {
    auto again = crdt::decode_delta(crdt::encode_delta(*delta));
    check(again && *again == *delta);
  }
  return 0;
}

int fuzz_broadcast(const std::uint8_t* data, std::size_t size) {
  if (auto heads = crdt::decode_broadcast(cf::ByteView(data, size))) {
    auto again = crdt::decode_broadcast(crdt::encode_broadcast(*heads));
    check(again && *again == *heads);
  }
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto hash = crdt::parse_element_id(text)) check(crdt::element_id(*hash) == text);
  if (auto cid = crdt::pin_cid_from_key(text)) check(crdt::pin_key(*cid) == text);
  return 0;
}
