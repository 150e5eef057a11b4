// multistream-select initiator (go-multistream v0.6.1 client.go).
#include "cf/p2p/mss/dialer.hpp"

#include "cf/p2p/mss/errc.hpp"

namespace cf::p2p::mss {

Result<Dialer> Dialer::create(std::vector<std::string> protocols) {
  if (protocols.empty()) return Error(errc::no_protocols);
  for (const auto& p : protocols) {
    if (p.empty() || p.size() + 1 > max_message_size || p == na) {
      return Error(errc::invalid_protocol,
                   "cannot propose protocol \"" + p.substr(0, 64) + "\" (" +
                       std::to_string(p.size()) + " bytes)");
    }
  }
  return Dialer(std::move(protocols));
}

Bytes Dialer::start() const {
  Bytes out;
  append_message(out, protocol_id);
  append_message(out, protocols_.front());
  return out;
}

Status Dialer::on_header(const std::string& token) {
  if (token != protocol_id) {
    return Error(errc::wrong_header, "expected /multistream/1.0.0, got \"" +
                                         token.substr(0, 64) + "\"");
  }
  state_ = State::awaiting_answer;
  return ok();
}

Status Dialer::on_na(Step& step) {
  if (current_ + 1 == protocols_.size()) {
    return Error(errc::not_supported, "the peer answered na to all " +
                                          std::to_string(protocols_.size()) + " proposals");
  }
  ++current_;
  append_message(step.to_send, protocols_[current_]);
  return ok();
}

void Dialer::on_echo(Step& step) {
  step.selected = Selected{protocols_[current_], {}};
  state_ = State::done;
}

Result<Step> Dialer::on_bytes(ByteView in) {
  if (state_ == State::done || state_ == State::failed) return Error(errc::finished);
  Step step;
  auto leftover = consume_messages(buffer_, in, [&](std::string token) -> Result<bool> {
    if (state_ == State::awaiting_header) {
      CF_TRY(on_header(token));
    } else if (token == protocols_[current_]) {
      on_echo(step);
    } else if (token == na) {
      CF_TRY(on_na(step));
    } else {
      return Error(errc::unrecognized_response,
                   "expected \"" + protocols_[current_] + "\" or na, got \"" + token.substr(0, 64) + "\"");
    }
    return state_ == State::done;
  });
  if (!leftover) {
    state_ = State::failed;
    return leftover.error();
  }
  if (*leftover) step.selected->leftover = std::move(**leftover);
  return step;
}

}  // namespace cf::p2p::mss
