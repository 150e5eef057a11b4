// The "cf.p2p.host" error category (pattern of src/base/errc.cpp).
#include "cf/p2p/conn/errc.hpp"

#include <string>

namespace cf::p2p {
namespace {

class HostCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "cf.p2p.host"; }
  std::string message(int value) const override {
    switch (static_cast<errc>(value)) {
      case errc::connection_closed: return "connection closed";
      case errc::stream_reset: return "stream reset";
      case errc::unexpected_eof: return "unexpected end of stream";
      case errc::message_too_large: return "stream message too large";
      case errc::missing_peer_id: return "address has no /p2p/ peer ID";
      case errc::not_connected: return "not connected to the peer";
      case errc::no_handler: return "no handler for the protocol";
      case errc::upgrade_failed: return "connection upgrade failed";
      case errc::host_stopped: return "host stopped";
      case errc::invalid_length: return "bad message length prefix";
    }
    return "unknown host error";
  }
};

}  // namespace

const std::error_category& host_category() {
  static const HostCategory category;
  return category;
}

std::error_code make_error_code(errc e) { return {static_cast<int>(e), host_category()}; }

}  // namespace cf::p2p
