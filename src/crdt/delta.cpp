// go-ds-crdt Delta protobuf (see delta.hpp for the proto3 rules it mirrors).
#include "cf/crdt/delta.hpp"

#include <string>

#include "cf/base/protowire.hpp"
#include "cf/base/utf8.hpp"
#include "cf/crdt/errc.hpp"

namespace cf::crdt {
namespace {

namespace pw = protowire;

constexpr std::uint32_t elements_field = 1;
constexpr std::uint32_t tombstones_field = 2;
constexpr std::uint32_t priority_field = 3;
constexpr std::uint32_t key_field = 1;
constexpr std::uint32_t id_field = 2;
constexpr std::uint32_t value_field = 3;

Error malformed(const std::string& what) { return Error(errc::malformed_delta, "delta: " + what); }

bool is_bytes(const pw::Field& f) { return f.type == pw::WireType::length_delimited; }

// "elements[3]" or "tombstones[3]", built only when an error needs it.
std::string entry_name(std::uint32_t list_field, std::size_t index) {
  return (list_field == elements_field ? "elements[" : "tombstones[") + std::to_string(index) + "]";
}

Result<Element> decode_element(ByteView bytes, std::uint32_t list_field, std::size_t index) {
  Element element;
  pw::Reader reader(bytes);
  for (;;) {
    auto next = reader.next();
    if (!next) return malformed(entry_name(list_field, index) + ": " + next.error().message());
    if (!*next) break;
    const pw::Field& f = **next;
    if (!is_bytes(f)) continue;  // unknown, or a known field with the wrong wire type
    if (f.number == value_field) {
      element.value.assign(f.bytes.begin(), f.bytes.end());
    } else if (f.number == key_field || f.number == id_field) {
      if (!is_valid_utf8(f.bytes)) {
        return malformed(entry_name(list_field, index) + (f.number == key_field ? ".key" : ".id") +
                         " is not valid UTF-8");
      }
      (f.number == key_field ? element.key : element.id) = to_string(f.bytes);
    }
  }
  return element;
}

void append_element(Bytes& out, std::uint32_t field, const Element& element, Bytes& scratch) {
  scratch.clear();
  if (!element.key.empty()) pw::append_string_field(scratch, key_field, element.key);
  if (!element.id.empty()) pw::append_string_field(scratch, id_field, element.id);
  if (!element.value.empty()) pw::append_bytes_field(scratch, value_field, element.value);
  pw::append_bytes_field(out, field, scratch);
}

}  // namespace

Result<Delta> decode_delta(ByteView bytes, const DeltaLimits& limits) {
  if (bytes.size() > limits.max_delta_size) {
    return Error(errc::too_large, "delta: " + std::to_string(bytes.size()) + " bytes, more than " +
                                      std::to_string(limits.max_delta_size));
  }
  Delta delta;
  pw::Reader reader(bytes);
  for (;;) {
    auto next = reader.next();
    if (!next) return malformed(next.error().message());
    if (!*next) break;
    const pw::Field& f = **next;
    if (f.number == priority_field && f.type == pw::WireType::varint) {
      delta.priority = f.value;
      continue;
    }
    if ((f.number != elements_field && f.number != tombstones_field) || !is_bytes(f)) continue;
    if (delta.elements.size() + delta.tombstones.size() >= limits.max_entries) {
      return Error(errc::too_large, "delta: more than " + std::to_string(limits.max_entries) +
                                        " elements and tombstones");
    }
    auto& list = f.number == elements_field ? delta.elements : delta.tombstones;
    CF_TRY_ASSIGN(element, decode_element(f.bytes, f.number, list.size()));
    list.push_back(std::move(element));
  }
  return delta;
}

Bytes encode_delta(const Delta& delta) {
  Bytes out;
  Bytes scratch;
  for (const Element& e : delta.elements) append_element(out, elements_field, e, scratch);
  for (const Element& e : delta.tombstones) append_element(out, tombstones_field, e, scratch);
  if (delta.priority != 0) pw::append_varint_field(out, priority_field, delta.priority);
  return out;
}

}  // namespace cf::crdt
