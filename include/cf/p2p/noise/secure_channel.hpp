// The libp2p Noise transport phase, sans-I/O (libp2p/specs noise/README.md "Wire Format";
// go-libp2p p2p/security/noise/rw.go; libp2p-wire.md §4.3, §4.5). Each direction has its own
// CipherState; transport messages use empty associated data and nonces 0, 1, 2, ... and are
// never rekeyed. Writes above 65519 bytes are split into several frames, as go does; an empty
// write produces no frame (go's Write loop sends nothing either).
// Any error (bad tag, exhausted nonce, oversized buffer) ends the channel: later calls return
// errc::channel_failed and the connection must be closed.
// Ownership: a plain movable value owned by one connection. Not thread-safe, but the two
// directions are independent, so a driver may encrypt and feed from one strand.
#pragma once

#include <optional>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/p2p/noise/cipher_state.hpp"
#include "cf/p2p/noise/framing.hpp"
#include "cf/p2p/noise/handshake_state.hpp"

namespace cf::p2p::noise {

class SecureChannel {
 public:
  explicit SecureChannel(TransportCiphers ciphers,
                         std::size_t max_buffered = FrameReader::default_max_buffered);

  // Appends to `out` the wire bytes (length-prefixed frames) carrying `plaintext`.
  Status encrypt(ByteView plaintext, Bytes& out);
  Result<Bytes> encrypt(ByteView plaintext);
  // Consumes wire bytes; returns the plaintext of every frame completed by them, in order. A
  // partial frame is kept for the next call. Any amount of input is accepted: at most one
  // partial frame plus max_buffered bytes are held at a time.
  Result<Bytes> feed(ByteView wire);

  bool failed() const { return failed_; }
  // Bytes of a partial frame waiting for the rest.
  std::size_t buffered() const { return reader_.buffered(); }

 private:
  Error fail(Error e);  // marks the channel failed and returns e

  TransportCiphers ciphers_;
  FrameReader reader_;
  bool failed_ = false;
};

}  // namespace cf::p2p::noise
