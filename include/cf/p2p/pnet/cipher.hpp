// The pnet stream protector, sans-I/O (libp2p/specs pnet/Private-Networks-PSK-V1.md
// "Algorithm"; go-libp2p p2p/net/pnet/psk_conn.go). Per direction: a 24-byte nonce in
// plaintext, then every later byte XORed with XSalsa20(PSK, nonce). The keystream is continuous
// across writes: a byte offset per direction picks the 64-byte block and the position in it.
// No framing, no integrity: a wrong PSK shows up as garbage in multistream-select.
// Divergence: go writes its nonce lazily with the first ciphertext; Writer does the same, and
// the connection driver may call seal({}) right after connect to send the nonce at once.
// All three classes are plain values owned by one connection; not thread-safe.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "cf/base/bytes.hpp"
#include "cf/p2p/pnet/psk.hpp"

namespace cf::p2p::pnet {

inline constexpr std::size_t nonce_size = 24;
using Nonce = std::array<std::uint8_t, nonce_size>;

// 24 bytes from libsodium's CSPRNG. Logic takes a Nonce so tests can inject one.
Nonce random_nonce();

// XSalsa20(key, nonce) applied as one continuous keystream over all calls.
class Cipher {
 public:
  Cipher(const Psk& psk, const Nonce& nonce);
  ~Cipher();
  Cipher(const Cipher&) = default;
  Cipher& operator=(const Cipher&) = default;

  // XORs `data` in place with the next data.size() keystream bytes.
  void apply(std::span<std::uint8_t> data);
  // Bytes of keystream used so far.
  std::uint64_t offset() const { return offset_; }

 private:
  static constexpr std::size_t block_size = 64;
  void load_block(std::uint64_t index);

  Psk psk_;
  Nonce nonce_;
  std::uint64_t offset_ = 0;
  std::array<std::uint8_t, block_size> block_{};  // keystream of block `block_index_`
  std::uint64_t block_index_ = 0;
  bool block_valid_ = false;
};

// Our direction: the nonce goes out in front of the first ciphertext.
class Writer {
 public:
  Writer(const Psk& psk, const Nonce& our_nonce) : nonce_(our_nonce), cipher_(psk, our_nonce) {}

  // Appends the wire bytes for `plaintext` to `out`: the nonce on the first call (even for
  // empty plaintext), then the ciphertext.
  void seal(ByteView plaintext, Bytes& out);
  Bytes seal(ByteView plaintext);
  bool nonce_sent() const { return nonce_sent_; }

 private:
  Nonce nonce_;
  Cipher cipher_;
  bool nonce_sent_ = false;
};

// The peer's direction: the first 24 bytes are its nonce, the rest is ciphertext.
class Reader {
 public:
  explicit Reader(const Psk& psk) : psk_(psk) {}
  ~Reader();  // wipes its copy of the PSK
  Reader(const Reader&) = default;
  Reader& operator=(const Reader&) = default;

  // Appends the plaintext carried by `wire` to `out` (nothing while the nonce is incomplete).
  void open(ByteView wire, Bytes& out);
  Bytes open(ByteView wire);
  bool has_nonce() const { return have_ == nonce_size; }

 private:
  Psk psk_;
  Nonce nonce_{};
  std::size_t have_ = 0;
  std::optional<Cipher> cipher_;  // set once the nonce is complete
};

}  // namespace cf::p2p::pnet
