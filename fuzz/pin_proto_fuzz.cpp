// libFuzzer target: one cluster pin's protobuf (pin_from_protobuf), as a CRDT value delivers
// it, read with and without the key's CID. A pin that decodes must encode (pin_to_protobuf) to
// bytes that decode to the same pin, and print (to_json) as JSON that parses back to it, since
// the store and the CLI's --json output rely on that.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "cf/cluster/pin_proto.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace cl = cf::cluster;
  static const auto key = cf::multiformats::Cid::parse("bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku");
  const cf::ByteView input(data, size);
  (void)cl::pin_from_protobuf(input, *key);
  auto pin = cl::pin_from_protobuf(input);
  if (!pin) return 0;
  auto again = cl::pin_from_protobuf(cl::pin_to_protobuf(*pin));
  if (!again || *again != *pin) std::abort();
  const std::string text = cl::to_json(*pin);
  if (text.size() > cl::max_pin_json_size) return 0;  // escaping can grow a 1 MiB protobuf
  auto json = cl::pin_from_json(text);
  if (!json || *json != *pin) std::abort();
  return 0;
}
