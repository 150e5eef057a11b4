// libFuzzer target: PeerId::parse (the input as text) and PeerId::from_bytes (as binary). A
// peer ID that reads must print, in both text forms, as text that parses back to itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cf/multiformats/peer_id.hpp"

namespace {

namespace mf = cf::multiformats;

void round_trip(const mf::PeerId& id) {
  auto b58 = mf::PeerId::parse(id.to_string());
  if (!b58 || *b58 != id) std::abort();
  auto cid = mf::PeerId::parse(id.to_cid_string());
  if (!cid || *cid != id) std::abort();
  auto bytes = mf::PeerId::from_bytes(id.bytes());
  if (!bytes || *bytes != id) std::abort();
  (void)id.public_key_proto();
  (void)id.extract_ed25519_public_key();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto id = mf::PeerId::parse(text)) round_trip(*id);
  if (auto id = mf::PeerId::from_bytes(cf::ByteView(data, size))) round_trip(*id);
  return 0;
}
