// Error codes of the DNS client and the /dnsaddr resolver (category "cf.p2p.dns"), following
// the per-layer pattern of cf/base/errc.hpp. Every Error carries a detail naming the DNS name
// (and the nameserver, where one is involved); reply bytes never appear in it.
#pragma once

#include <system_error>

namespace cf::p2p::dns {

enum class errc {
  bad_query_name = 1,  // a name that cannot be put in a query (empty label, label > 63, > 255 bytes)
  truncated_message,   // a reply that ends inside its header, a name, a question or a record
  bad_name,            // a reply name with a reserved label type or longer than 255 bytes
  bad_pointer,         // a compression pointer that points forward or chains too often
  bad_rdata,           // a TXT record whose character-strings overrun its RDLENGTH
  too_many_records,    // a reply announcing more answers than decode_reply accepts
  not_a_reply,         // QR bit clear, or an opcode other than QUERY
  id_mismatch,         // the reply's ID is not the query's (stray or spoofed datagram)
  question_mismatch,   // the reply's question is not the one asked (name, type or class)
  name_not_found,      // RCODE 3 (NXDOMAIN): the name does not exist
  server_failure,      // any other non-zero RCODE (SERVFAIL, REFUSED, ...) from every server
  no_answer,           // no nameserver answered in time (or every exchange failed on the socket)
  no_records,          // the name exists but has no TXT record / no usable dnsaddr= value
  peer_id_mismatch,    // dnsaddr records exist, but none ends with the address's /p2p/<id>
  cancelled,           // the caller cancelled the lookup
};

const std::error_category& dns_category();
std::error_code make_error_code(errc e);

}  // namespace cf::p2p::dns

template <>
struct std::is_error_code_enum<cf::p2p::dns::errc> : std::true_type {};
