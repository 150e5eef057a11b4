// The "cf.p2p.yamux" error category (pattern of src/base/errc.cpp).
#include "cf/p2p/yamux/errc.hpp"

#include <string>

namespace cf::p2p::yamux {
namespace {

class YamuxCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.p2p.yamux"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::truncated: return "truncated yamux frame header";
      case errc::invalid_version: return "invalid yamux protocol version";
      case errc::invalid_type: return "invalid yamux message type";
      case errc::frame_too_large: return "yamux data frame larger than the receive window";
      case errc::invalid_stream_id: return "yamux stream opened with an invalid ID";
      case errc::duplicate_stream: return "duplicate yamux stream";
      case errc::window_exceeded: return "yamux receive window exceeded";
      case errc::send_window_overflow: return "yamux send window overflow";
      case errc::data_after_fin: return "yamux data after FIN";
      case errc::stream_reset: return "yamux stream reset by peer";
      case errc::unknown_stream: return "unknown yamux stream";
      case errc::write_closed: return "yamux stream closed for writing";
      case errc::too_many_streams: return "too many yamux streams";
      case errc::streams_exhausted: return "yamux stream IDs exhausted";
      case errc::too_many_pings: return "too many outstanding yamux pings";
      case errc::keepalive_timeout: return "yamux keepalive timeout";
      case errc::remote_go_away: return "yamux peer sent go away";
      case errc::local_go_away: return "yamux go away sent";
      case errc::session_closed: return "yamux session closed";
    }
    return "unknown yamux error";
  }
};

}  // namespace

const std::error_category& yamux_category() {
  static const YamuxCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), yamux_category()}; }

}  // namespace cf::p2p::yamux
