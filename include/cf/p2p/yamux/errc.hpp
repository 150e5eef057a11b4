// Error codes of the Yamux multiplexer (category "cf.p2p.yamux"), following the per-layer
// pattern of cf/base/errc.hpp. Frame and session errors map to go-yamux's errors where one
// exists (libp2p/go-yamux const.go): invalid_version = ErrInvalidVersion, invalid_type =
// ErrInvalidMsgType, duplicate_stream = ErrDuplicateStream, window_exceeded =
// ErrRecvWindowExceeded, keepalive_timeout = ErrKeepAliveTimeout, remote_go_away =
// ErrRemoteGoAway / GoAwayError{Remote}.
#pragma once

#include <system_error>

namespace cf::p2p::yamux {

enum class errc {
  truncated = 1,         // fewer than 12 bytes where a frame header was expected
  invalid_version,       // a frame header whose version byte is not 0 (session-fatal)
  invalid_type,          // a frame type above 3 (GoAway) (session-fatal)
  frame_too_large,       // a data frame longer than our largest receive window (session-fatal)
  invalid_stream_id,     // a SYN with our own parity or for stream 0 (session-fatal)
  duplicate_stream,      // a SYN for a stream that is still open (session-fatal)
  window_exceeded,       // the peer sent more data than the window we granted (session-fatal)
  send_window_overflow,  // window updates grew our send window past 2^32-1 (session-fatal)
  data_after_fin,        // data after the peer's FIN on that stream (the stream is reset)
  stream_reset,          // the peer reset the stream (RST); see StreamReset::code
  unknown_stream,        // an API call named a stream that does not exist or was removed
  write_closed,          // a write or close_write after close_write on that stream
  too_many_streams,      // open_stream above Config::max_outbound_streams
  streams_exhausted,     // our half of the 32-bit stream ID space is used up
  too_many_pings,        // ping() with Config::max_outstanding_pings already unanswered
  keepalive_timeout,     // a ping of ours had no ACK within Config::keepalive_timeout
  remote_go_away,        // the peer sent GoAway; the Error's detail names the code
  local_go_away,         // we sent GoAway (go_away()); the session is over
  session_closed,        // a call on a session that has ended (see Session::close_reason)
};

const std::error_category& yamux_category();
std::error_code make_error_code(errc e);

}  // namespace cf::p2p::yamux

template <>
struct std::is_error_code_enum<cf::p2p::yamux::errc> : std::true_type {};
