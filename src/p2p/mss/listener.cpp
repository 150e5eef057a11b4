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
  buffer_.insert(buffer_.end(), in.begin(), in.end());
  Step step;
  std::size_t used = 0;
  while (state_ != State::done) {
    auto message = decode_message(ByteView(buffer_).subspan(used));
    if (!message) {
      state_ = State::failed;
      return message.error();
    }
    if (!*message) break;
    used += (*message)->size;
    if (state_ == State::awaiting_header) {
      if (auto status = on_header((*message)->token); !status) {
        state_ = State::failed;
        return status.error();
      }
    } else {
      on_proposal(std::move((*message)->token), step);
    }
  }
  if (state_ == State::done) {
    step.selected->leftover.assign(buffer_.begin() + static_cast<std::ptrdiff_t>(used),
                                   buffer_.end());
    buffer_.clear();
  } else {
    buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(used));
  }
  return step;
}

}  // namespace cf::p2p::mss
