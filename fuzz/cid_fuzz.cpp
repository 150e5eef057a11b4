// libFuzzer target: Cid::parse (the input as text), Cid::from_bytes and Cid::read (as binary).
// Every CID that reads must print as text that parses back to itself, in base32 and base58btc.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cf/multiformats/cid.hpp"

namespace {

namespace mf = cf::multiformats;

void round_trip(const mf::Cid& c) {
  auto text = mf::Cid::parse(c.to_string());
  if (!text || *text != c) std::abort();
  auto b58 = mf::Cid::parse(c.to_string(mf::multibase::Base::base58btc));
  if (!b58 || *b58 != c) std::abort();
  auto bytes = mf::Cid::from_bytes(c.bytes());
  if (!bytes || *bytes != c) std::abort();
  (void)c.to_v1().to_string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto c = mf::Cid::parse(text)) round_trip(*c);
  const cf::ByteView bytes(data, size);
  if (auto c = mf::Cid::from_bytes(bytes)) round_trip(*c);
  std::size_t consumed = 0;
  if (auto c = mf::Cid::read(bytes, consumed)) {
    if (consumed == 0 || consumed > size) std::abort();
    round_trip(*c);
  }
  return 0;
}
