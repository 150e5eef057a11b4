// libFuzzer target: Multiaddr::parse (the input as text) and Multiaddr::from_bytes (the input
// as binary). Beyond "no crash", it checks the round trips callers rely on: what parses prints
// as text that parses back to the same bytes, and a valid binary form re-reads as itself.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cf/multiformats/multiaddr.hpp"

namespace {

namespace mf = cf::multiformats;

// Exercises every accessor; all must work on any validated address.
void use(const mf::Multiaddr& m) {
  (void)m.components();
  (void)m.peer_id();
  (void)m.without_peer_id();
  if (auto again = mf::Multiaddr::from_bytes(m.bytes()); !again || *again != m) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto m = mf::Multiaddr::parse(text)) {
    use(*m);
    // The printed form is canonical: it must read back as the same address.
    auto again = mf::Multiaddr::parse(m->to_string());
    if (!again || *again != *m) std::abort();
  }
  if (auto m = mf::Multiaddr::from_bytes(cf::ByteView(data, size))) {
    use(*m);
    (void)m->to_string();
  }
  return 0;
}
