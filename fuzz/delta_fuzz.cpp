// libFuzzer target: go-ds-crdt Delta protobufs (src/crdt/fuzz_entry).
#include <cstddef>
#include <cstdint>

#include "fuzz_entry.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return fuzz_delta(data, size);
}
