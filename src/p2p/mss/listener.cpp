// multistream-select responder (go-multistream v0.6.1 multistream.go Negotiate).
#include "cf/p2p/mss/listener.hpp"

#include <algorithm>

#include "cf/p2p/mss/errc.hpp"

namespace cf::p2p::mss {

Bytes Listener::start() const { return encode_message(protocol_id); }

bool Listener::supports(const std::string& token) const {
  return std::find(supported_.begin(), supported_.end(), token) != supported_.end();
}

Status Listener::on_header(const std::string& token) {
  if (token != protocol_id) {
    return Error(errc::wrong_header, "expected /multistream/1.0.0, got \"" +
                                         token.substr(0, 64) + "\"");
  }
  state_ = State::awaiting_proposal;
  return ok();
}

void Listener::on_proposal(std::string token, Step& step) {
  if (token == ls || !supports(token)) {
    append_message(step.to_send, na);
    return;
  }
  append_message(step.to_send, token);
  step.selected = Selected{std::move(token), {}};
  state_ = State::done;
}

Result<Step> Listener::on_bytes(ByteView in) {
  if (state_ == State::done || state_ == State::failed) return Error(errc::finished);
  Step step;
  auto leftover = consume_messages(buffer_, in, [&](std::string token) -> Result<bool> {
    if (state_ == State::awaiting_header) {
      CF_TRY(on_header(token));
    } else {
      on_proposal(std::move(token), step);
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
