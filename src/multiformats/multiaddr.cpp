// Multiaddr text and binary forms (go-multiaddr codec.go stringToBytes / readComponent,
// component.go writeTo). Deliberate divergence: errors quote the protocol name or value.
#include "cf/multiformats/multiaddr.hpp"

#include <algorithm>

#include "cf/multiformats/errc.hpp"
#include "cf/multiformats/varint.hpp"
#include "multiaddr_protocols.hpp"

namespace cf::multiformats {

using multiaddr_detail::Protocol;
using multiaddr_detail::ValueKind;

namespace {

Error text_error(errc code, std::string_view text, const std::string& what) {
  return Error(code, "multiaddr \"" + std::string(text) + "\": " + what);
}

Error bytes_error(errc code, ByteView bytes, const std::string& what) {
  return Error(code, "multiaddr bytes " + to_hex(bytes) + ": " + what);
}

// A bad varint inside a binary multiaddr: truncation stays errc::truncated (more bytes may
// complete it); anything else makes the address invalid.
errc varint_errc(const Error& e) {
  return e == errc::truncated ? errc::truncated : errc::invalid_multiaddr;
}

}  // namespace

Result<Multiaddr> Multiaddr::parse(std::string_view text) {
  std::string_view trimmed = text;
  while (!trimmed.empty() && trimmed.back() == '/') trimmed.remove_suffix(1);
  if (!trimmed.empty() && trimmed.front() != '/') {
    return text_error(errc::invalid_multiaddr, text, "must begin with /");
  }
  std::vector<std::string_view> elements;
  for (std::size_t pos = 1; pos <= trimmed.size();) {
    const std::size_t slash = std::min(trimmed.find('/', pos), trimmed.size());
    elements.push_back(trimmed.substr(pos, slash - pos));
    pos = slash + 1;
  }
  if (elements.empty()) return text_error(errc::invalid_multiaddr, text, "empty");

  Bytes bytes;
  std::vector<Part> parts;
  for (std::size_t i = 0; i < elements.size();) {
    const std::string_view name = elements[i++];
    const Protocol* p = multiaddr_detail::protocol_by_name(name);
    if (p == nullptr) {
      return text_error(errc::unknown_protocol, text,
                        "unknown protocol \"" + std::string(name) + "\"");
    }
    const std::size_t begin = bytes.size();
    append_uvarint(bytes, p->code);
    Bytes value;
    if (p->size_bits != 0) {
      if (i == elements.size()) {
        return text_error(errc::invalid_multiaddr, text,
                          "protocol \"" + std::string(name) + "\" needs a value");
      }
      std::string value_text;
      if (p->kind == ValueKind::path) {
        // A path protocol takes the rest of the address: "/unix/a/b" has the path "/a/b".
        for (; i < elements.size(); ++i) {
          value_text += '/';
          value_text += elements[i];
        }
      } else {
        value_text = elements[i++];
      }
      auto v = multiaddr_detail::value_from_text(*p, value_text);
      if (!v) {
        return text_error(errc::invalid_multiaddr, text,
                          "invalid value \"" + value_text + "\" for protocol " +
                              std::string(p->name) + ": " + v.error().message());
      }
      value = std::move(*v);
      if (p->size_bits < 0) append_uvarint(bytes, value.size());
    }
    const std::size_t value_begin = bytes.size();
    bytes.insert(bytes.end(), value.begin(), value.end());
    parts.push_back(Part{p, begin, value_begin, value.size()});
  }
  return Multiaddr(std::move(bytes), std::move(parts));
}

Result<Multiaddr> Multiaddr::from_bytes(ByteView bytes) {
  if (bytes.empty()) return bytes_error(errc::invalid_multiaddr, bytes, "empty");
  std::vector<Part> parts;
  std::size_t offset = 0;
  while (offset < bytes.size()) {
    const std::size_t begin = offset;
    auto code = decode_uvarint(bytes.subspan(offset));
    if (!code) {
      return bytes_error(varint_errc(code.error()), bytes,
                         "protocol code: " + code.error().message());
    }
    offset += code->size;
    const Protocol* p = multiaddr_detail::protocol_by_code(code->value);
    if (p == nullptr) {
      return bytes_error(errc::unknown_protocol, bytes,
                         "unknown protocol code " + std::to_string(code->value));
    }
    std::size_t size = 0;
    if (p->size_bits < 0) {
      auto length = decode_uvarint(bytes.subspan(offset));
      if (!length) {
        return bytes_error(varint_errc(length.error()), bytes,
                           std::string(p->name) + " value length: " + length.error().message());
      }
      offset += length->size;
      if (length->value == 0) {
        return bytes_error(errc::invalid_multiaddr, bytes,
                           std::string(p->name) + " has an empty value");
      }
      size = length->value > bytes.size() ? bytes.size() + 1 : length->value;
    } else {
      size = static_cast<std::size_t>(p->size_bits / 8);
    }
    if (bytes.size() - offset < size) {
      return bytes_error(errc::truncated, bytes, std::string(p->name) + " value is truncated");
    }
    const ByteView value = bytes.subspan(offset, size);
    if (auto valid = multiaddr_detail::validate_value(*p, value); !valid) {
      return bytes_error(errc::invalid_multiaddr, bytes,
                         "invalid " + std::string(p->name) + " value: " + valid.error().message());
    }
    parts.push_back(Part{p, begin, offset, size});
    offset += size;
  }
  return Multiaddr(Bytes(bytes.begin(), bytes.end()), std::move(parts));
}

std::string Multiaddr::to_string() const {
  std::string out;
  for (const auto& part : parts_) {
    out += '/';
    out += part.protocol->name;
    if (part.protocol->size_bits == 0) continue;
    const std::string value = multiaddr_detail::value_to_text(
        *part.protocol, ByteView(bytes_).subspan(part.value_begin, part.value_size));
    if (!(part.protocol->kind == ValueKind::path && value.starts_with('/'))) out += '/';
    out += value;
  }
  return out;
}

std::vector<MultiaddrComponent> Multiaddr::components() const {
  std::vector<MultiaddrComponent> out;
  out.reserve(parts_.size());
  for (const auto& part : parts_) {
    const ByteView raw = ByteView(bytes_).subspan(part.value_begin, part.value_size);
    out.push_back(MultiaddrComponent{part.protocol->code, std::string(part.protocol->name),
                                     multiaddr_detail::value_to_text(*part.protocol, raw),
                                     Bytes(raw.begin(), raw.end())});
  }
  return out;
}

std::optional<PeerId> Multiaddr::peer_id() const {
  if (parts_.empty() || parts_.back().protocol->kind != ValueKind::p2p) return std::nullopt;
  const auto& last = parts_.back();
  auto id = PeerId::from_bytes(ByteView(bytes_).subspan(last.value_begin, last.value_size));
  if (!id) return std::nullopt;  // unreachable: values are validated on construction
  return std::move(*id);
}

Multiaddr Multiaddr::without_peer_id() const {
  if (parts_.empty() || parts_.back().protocol->kind != ValueKind::p2p) return *this;
  std::vector<Part> parts(parts_.begin(), parts_.end() - 1);
  Bytes bytes(bytes_.begin(), bytes_.begin() + static_cast<std::ptrdiff_t>(parts_.back().begin));
  return Multiaddr(std::move(bytes), std::move(parts));
}

Multiaddr Multiaddr::with_peer_id(const PeerId& id) const {
  Bytes bytes = bytes_;
  std::vector<Part> parts = parts_;
  const std::size_t begin = bytes.size();
  append_uvarint(bytes, protocol_code::p2p);
  append_uvarint(bytes, id.bytes().size());
  const std::size_t value_begin = bytes.size();
  bytes.insert(bytes.end(), id.bytes().begin(), id.bytes().end());
  parts.push_back(Part{multiaddr_detail::protocol_by_code(protocol_code::p2p), begin, value_begin,
                       id.bytes().size()});
  return Multiaddr(std::move(bytes), std::move(parts));
}

}  // namespace cf::multiformats
