// libFuzzer-ready entry point for identify (see fuzz_entry.hpp).
#include "identify/fuzz_entry.hpp"

#include <algorithm>

#include "cf/p2p/identify/identify.hpp"
#include "cf/p2p/identify/stream.hpp"

int fuzz_identify(const std::uint8_t* data, std::size_t size) {
  namespace id = cf::p2p::identify;
  namespace mf = cf::multiformats;
  static const auto remote = mf::PeerId::parse("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq");
  const cf::ByteView input(data, size);

  if (auto decoded = id::decode_identify(input)) {
    // What decodes must encode again without trouble.
    (void)id::encode_identify_frames(decoded->info);
  }
  if (remote) (void)id::decode_identify(input, *remote);

  if (size == 0) return 0;
  const std::size_t piece = std::size_t{data[0]} % 61 + 1;
  id::MessageReader reader(remote ? std::optional<mf::PeerId>(*remote) : std::nullopt);
  cf::ByteView rest = input.subspan(1);
  while (!rest.empty()) {
    const std::size_t n = std::min(piece, rest.size());
    if (!reader.on_bytes(rest.first(n))) return 0;
    rest = rest.subspan(n);
  }
  (void)reader.on_eof();
  return 0;
}
