// multistream-select initiator (go-multistream client.go SelectProtoOrFail / SelectOneOf):
// header + first proposal in one write; then the listener's header, then per proposal its
// echo (selected) or "na" (send the next proposal alone). After the last "na" it fails with
// errc::not_supported; any other answer is errc::unrecognized_response. The caller must wait
// for `selected` before sending protocol data (a pipelined Noise message after an "na" would
// corrupt the stream). Not implemented: the lazy initiator (go lazyClient.go).
// A plain value owned by one stream's driver; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/p2p/mss/message.hpp"

namespace cf::p2p::mss {

class Dialer {
 public:
  enum class State : std::uint8_t { awaiting_header, awaiting_answer, done, failed };

  // `protocols` in order of preference. errc::no_protocols for an empty list,
  // errc::invalid_protocol for an empty ID or one longer than max_message_size - 1.
  static Result<Dialer> create(std::vector<std::string> protocols);

  // The first write: our header and the first proposal.
  Bytes start() const;

  // Bytes read from the listener. Returns the next proposal to send after an "na", and
  // `selected` (with the bytes after the echo) once a proposal is echoed. Any error ends the
  // negotiation; later calls return errc::finished.
  Result<Step> on_bytes(ByteView in);

  State state() const { return state_; }
  // The proposal currently waiting for an answer.
  const std::string& proposal() const { return protocols_[current_]; }

 private:
  explicit Dialer(std::vector<std::string> protocols) : protocols_(std::move(protocols)) {}

  Status on_header(const std::string& token);
  Status on_na(Step& step);
  void on_echo(Step& step);

  std::vector<std::string> protocols_;
  std::size_t current_ = 0;
  Bytes buffer_;
  State state_ = State::awaiting_header;
};

}  // namespace cf::p2p::mss
