// Error codes of the connection and host glue (category "cf.p2p.host").
#pragma once

#include <system_error>

namespace cf::p2p {

enum class errc {
  connection_closed = 1,  // the connection ended (the detail says why)
  stream_reset,           // the stream was reset by either side
  unexpected_eof,         // the peer closed a stream before a complete message
  message_too_large,      // a stream message above the caller's bound
  missing_peer_id,        // a dial address without /p2p/<id>
  not_connected,          // no open connection to that peer
  no_handler,             // an inbound protocol with no registered handler
  upgrade_failed,         // the peer broke the upgrade (pnet, multistream, noise, muxer)
  host_stopped,           // the host is stopping
  invalid_length,         // a message's length prefix is not a minimal unsigned varint
};

const std::error_category& host_category();
std::error_code make_error_code(errc e);

}  // namespace cf::p2p

template <>
struct std::is_error_code_enum<cf::p2p::errc> : std::true_type {};
