// libFuzzer-ready entry point for multistream-select (see fuzz_entry.hpp).
#include "mss/fuzz_entry.hpp"

#include <algorithm>

#include "cf/p2p/mss/dialer.hpp"
#include "cf/p2p/mss/listener.hpp"

namespace {

namespace mss = cf::p2p::mss;

// Feeds `input` in pieces of `piece` bytes until the machine finishes or fails.
template <typename Machine>
void feed(Machine& machine, cf::ByteView input, std::size_t piece) {
  while (!input.empty()) {
    const std::size_t n = std::min(piece, input.size());
    auto step = machine.on_bytes(input.first(n));
    if (!step || step->selected) return;
    input = input.subspan(n);
  }
}

}  // namespace

int fuzz_mss(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = std::size_t{data[0]} % 17 + 1;
  const cf::ByteView input(data + 1, size - 1);

  for (cf::ByteView rest = input; !rest.empty();) {
    auto message = mss::decode_message(rest);
    if (!message || !*message) break;
    rest = rest.subspan((*message)->size);
  }

  mss::Listener listener({"/noise", "/yamux/1.0.0", "/ipfs/id/1.0.0"});
  feed(listener, input, piece);

  auto dialer = mss::Dialer::create({"/noise", "/yamux/1.0.0"});
  if (dialer) feed(*dialer, input, piece);
  return 0;
}
