// The "cf.p2p.dns" error category (pattern of src/base/errc.cpp).
#include "cf/p2p/dns/errc.hpp"

#include <string>

namespace cf::p2p::dns {
namespace {

class DnsCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.p2p.dns"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::bad_query_name: return "name cannot be queried";
      case errc::truncated_message: return "truncated DNS message";
      case errc::bad_name: return "malformed name in DNS reply";
      case errc::bad_pointer: return "bad compression pointer in DNS reply";
      case errc::bad_rdata: return "malformed TXT record in DNS reply";
      case errc::too_many_records: return "too many records in DNS reply";
      case errc::not_a_reply: return "DNS message is not a reply to a query";
      case errc::id_mismatch: return "DNS reply ID does not match the query";
      case errc::question_mismatch: return "DNS reply question does not match the query";
      case errc::name_not_found: return "no such DNS name (NXDOMAIN)";
      case errc::server_failure: return "DNS server failure";
      case errc::no_answer: return "no DNS server answered";
      case errc::no_records: return "no matching DNS records";
      case errc::peer_id_mismatch: return "no dnsaddr record for the wanted peer ID";
      case errc::cancelled: return "DNS lookup cancelled";
    }
    return "unknown DNS error";
  }
};

}  // namespace

const std::error_category& dns_category() {
  static const DnsCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), dns_category()}; }

}  // namespace cf::p2p::dns
