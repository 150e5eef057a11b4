// DNS query encoding and reply decoding (see cf/p2p/dns/message.hpp).
#include "cf/p2p/dns/message.hpp"

#include <optional>

#include <fmt/format.h>

namespace cf::p2p::dns {
namespace {

constexpr std::size_t header_size = 12;
constexpr std::uint16_t flag_qr = 0x8000;
constexpr std::uint16_t flag_tc = 0x0200;
constexpr std::uint16_t flag_rd = 0x0100;
constexpr std::uint16_t opcode_mask = 0x7800;
constexpr std::uint16_t rcode_mask = 0x000f;

void put_u16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v & 0xff));
}

std::uint8_t ascii_lower(std::uint8_t c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<std::uint8_t>(c + 32) : c;
}

Error short_packet(const char* where, std::size_t offset) {
  return Error(errc::truncated_message, fmt::format("DNS reply ends in {} at byte {}", where, offset));
}

// Reads a reply front to back; every read checks the bytes that remain.
class Reader {
 public:
  explicit Reader(ByteView packet) : packet_(packet) {}

  std::size_t offset() const { return pos_; }

  Result<std::uint16_t> u16(const char* where) {
    if (packet_.size() - pos_ < 2) return short_packet(where, pos_);
    const auto v = static_cast<std::uint16_t>(packet_[pos_] << 8 | packet_[pos_ + 1]);
    pos_ += 2;
    return v;
  }

  Status skip(std::size_t n, const char* where) {
    if (packet_.size() - pos_ < n) return short_packet(where, pos_);
    pos_ += n;
    return ok();
  }

  Result<ByteView> bytes(std::size_t n, const char* where) {
    if (packet_.size() - pos_ < n) return short_packet(where, pos_);
    auto view = packet_.subspan(pos_, n);
    pos_ += n;
    return view;
  }

  // Reads the (possibly compressed) name at the current offset and moves past it. Appends its
  // lower-cased wire form to `wire` when given. Pointers are followed in a loop: each must
  // point before itself, at most max_pointer_jumps of them, and the name stays within 255
  // bytes, so every walk ends.
  Status name(Bytes* wire) {
    std::size_t at = pos_;
    std::optional<std::size_t> resume;  // where the record continues after the first pointer
    std::size_t length = 1;             // the root label
    std::size_t jumps = 0;
    for (;;) {
      if (at >= packet_.size()) return short_packet("a name", at);
      const std::uint8_t len = packet_[at];
      if (len == 0) {
        if (wire) wire->push_back(0);
        pos_ = resume.value_or(at + 1);
        return ok();
      }
      if ((len & 0xc0) == 0xc0) {
        if (packet_.size() - at < 2) return short_packet("a compression pointer", at);
        const std::size_t target = static_cast<std::size_t>(len & 0x3f) << 8 | packet_[at + 1];
        if (target >= at) {
          return Error(errc::bad_pointer, fmt::format("compression pointer at byte {} points forward", at));
        }
        if (++jumps > max_pointer_jumps) {
          return Error(errc::bad_pointer, fmt::format("name at byte {} follows too many compression pointers", pos_));
        }
        if (!resume) resume = at + 2;
        at = target;
        continue;
      }
      if ((len & 0xc0) != 0) return Error(errc::bad_name, fmt::format("reserved label type at byte {}", at));
      if (packet_.size() - at - 1 < len) return short_packet("a label", at);
      length += 1 + len;
      if (length > max_name_bytes) {
        return Error(errc::bad_name, fmt::format("name at byte {} is longer than 255 bytes", pos_));
      }
      if (wire) {
        wire->push_back(len);
        for (std::size_t i = 0; i < len; ++i) wire->push_back(ascii_lower(packet_[at + 1 + i]));
      }
      at += 1 + len;
    }
  }

 private:
  ByteView packet_;
  std::size_t pos_ = 0;
};

Result<std::string> decode_txt_rdata(ByteView rdata, std::size_t offset) {
  std::string joined;
  std::size_t at = 0;
  while (at < rdata.size()) {
    const std::size_t len = rdata[at];
    if (rdata.size() - at - 1 < len) {
      return Error(errc::bad_rdata, fmt::format("TXT record at byte {}: a {}-byte string overruns its {}-byte RDATA",
                                                offset, len, rdata.size()));
    }
    joined.append(reinterpret_cast<const char*>(rdata.data() + at + 1), len);
    at += 1 + len;
  }
  return joined;
}

// One answer record: owner name, type, class, TTL, RDLENGTH, RDATA.
Status read_answer(Reader& in, Reply& reply) {
  CF_TRY(in.name(nullptr));
  CF_TRY_ASSIGN(type, in.u16("an answer's type"));
  CF_TRY(in.skip(6, "an answer's class and TTL"));
  CF_TRY_ASSIGN(rdlength, in.u16("an answer's RDLENGTH"));
  const std::size_t rdata_at = in.offset();
  CF_TRY_ASSIGN(rdata, in.bytes(rdlength, "an answer's RDATA"));
  if (type != rr_type::txt) return ok();
  CF_TRY_ASSIGN(text, decode_txt_rdata(rdata, rdata_at));
  reply.txt.push_back(std::move(text));
  return ok();
}

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

Status check_question(Reader& in, const Question& question) {
  CF_TRY_ASSIGN(asked, encode_name(question.name));
  for (auto& c : asked) c = ascii_lower(c);
  Bytes echoed;
  CF_TRY(in.name(&echoed));
  CF_TRY_ASSIGN(type, in.u16("the question's type"));
  CF_TRY_ASSIGN(klass, in.u16("the question's class"));
  if (echoed != asked) return Error(errc::question_mismatch, "DNS reply is for another name");
  if (type != question.type || klass != class_in) {
    return Error(errc::question_mismatch, fmt::format("DNS reply is for type {} class {}", type, klass));
  }
  return ok();
}

}  // namespace

Result<Bytes> encode_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return Error(errc::bad_query_name, "empty DNS name");
  Bytes out;
  for (;;) {
    const auto dot = name.find('.');
    const auto label = name.substr(0, dot);
    if (label.empty()) return Error(errc::bad_query_name, "DNS name has an empty label");
    if (label.size() > max_label_bytes) {
      return Error(errc::bad_query_name, fmt::format("DNS name has a {}-byte label (at most 63)", label.size()));
    }
    for (char c : label) {
      // go's net resolver refuses the same names (isDomainName); it also keeps every name
      // we put in an error message printable.
      if (!is_name_char(c)) {
        return Error(errc::bad_query_name, "DNS name has a character other than a-z, 0-9, '-', '_'");
      }
    }
    out.push_back(static_cast<std::uint8_t>(label.size()));
    out.insert(out.end(), label.begin(), label.end());
    if (dot == std::string_view::npos) break;
    name.remove_prefix(dot + 1);
  }
  out.push_back(0);
  if (out.size() > max_name_bytes) {
    return Error(errc::bad_query_name, fmt::format("DNS name is {} bytes in wire form (at most 255)", out.size()));
  }
  return out;
}

Result<Bytes> encode_query(const Question& question, std::uint16_t id) {
  CF_TRY_ASSIGN(name, encode_name(question.name));
  Bytes out;
  out.reserve(header_size + name.size() + 4 + 11);
  put_u16(out, id);
  put_u16(out, flag_rd);
  put_u16(out, 1);  // QDCOUNT
  put_u16(out, 0);  // ANCOUNT
  put_u16(out, 0);  // NSCOUNT
  put_u16(out, 1);  // ARCOUNT: the OPT record
  out.insert(out.end(), name.begin(), name.end());
  put_u16(out, question.type);
  put_u16(out, class_in);
  // OPT (RFC 6891 §6.1.2): root owner, CLASS = UDP payload size, TTL = extended RCODE 0,
  // version 0, no flags; no options.
  out.push_back(0);
  put_u16(out, rr_type::opt);
  put_u16(out, edns_udp_payload);
  put_u16(out, 0);
  put_u16(out, 0);
  put_u16(out, 0);  // RDLENGTH
  return out;
}

Result<Reply> decode_reply(ByteView packet, const Question& question, std::uint16_t id) {
  Reader in(packet);
  Reply reply;
  CF_TRY_ASSIGN(got_id, in.u16("the header"));
  CF_TRY_ASSIGN(flags, in.u16("the header"));
  CF_TRY_ASSIGN(qdcount, in.u16("the header"));
  CF_TRY_ASSIGN(ancount, in.u16("the header"));
  CF_TRY(in.skip(4, "the header"));
  if (got_id != id) return Error(errc::id_mismatch, fmt::format("DNS reply has ID {}, the query {}", got_id, id));
  if ((flags & flag_qr) == 0) return Error(errc::not_a_reply, "DNS message is a query, not a reply");
  if ((flags & opcode_mask) != 0) {
    return Error(errc::not_a_reply, fmt::format("DNS reply has opcode {}", (flags & opcode_mask) >> 11));
  }
  if (qdcount != 1) return Error(errc::question_mismatch, fmt::format("DNS reply has {} questions, not 1", qdcount));
  CF_TRY(check_question(in, question));
  reply.id = got_id;
  reply.truncated = (flags & flag_tc) != 0;
  reply.rcode = static_cast<std::uint8_t>(flags & rcode_mask);
  if (reply.truncated || reply.rcode != rcode::no_error) return reply;
  if (ancount > max_answers) {
    return Error(errc::too_many_records,
                 fmt::format("DNS reply announces {} answers (at most {})", ancount, max_answers));
  }
  for (std::size_t i = 0; i < ancount; ++i) CF_TRY(read_answer(in, reply));
  return reply;
}

}  // namespace cf::p2p::dns
