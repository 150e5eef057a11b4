// XSalsa20 stream protector (go-libp2p p2p/net/pnet/psk_conn.go; the keystream layout of
// davidlazar/go-crypto salsa20, which equals libsodium's crypto_stream_xsalsa20 with a 64-bit
// block counter from 0).
#include "cf/p2p/pnet/cipher.hpp"

#include <sodium.h>

#include <algorithm>

namespace cf::p2p::pnet {

Nonce random_nonce() {
  [[maybe_unused]] static const int sodium_ready = sodium_init();
  Nonce nonce;
  randombytes_buf(nonce.data(), nonce.size());
  return nonce;
}

Cipher::Cipher(const Psk& psk, const Nonce& nonce) : psk_(psk), nonce_(nonce) {}

Cipher::~Cipher() {
  sodium_memzero(psk_.key.data(), psk_.key.size());
  sodium_memzero(block_.data(), block_.size());
}

void Cipher::load_block(std::uint64_t index) {
  if (block_valid_ && block_index_ == index) return;
  block_.fill(0);
  crypto_stream_xsalsa20_xor_ic(block_.data(), block_.data(), block_.size(), nonce_.data(),
                                index, psk_.key.data());
  block_index_ = index;
  block_valid_ = true;
}

void Cipher::apply(std::span<std::uint8_t> data) {
  std::size_t done = 0;
  // 1. The rest of a block that an earlier call started.
  if (const std::size_t within = offset_ % block_size; within != 0 && !data.empty()) {
    load_block(offset_ / block_size);
    const std::size_t n = std::min(block_size - within, data.size());
    for (std::size_t i = 0; i < n; ++i) data[i] ^= block_[within + i];
    done = n;
    offset_ += n;
  }
  // 2. Whole blocks straight through libsodium, starting at the current block counter.
  const std::size_t whole = (data.size() - done) / block_size * block_size;
  if (whole != 0) {
    crypto_stream_xsalsa20_xor_ic(data.data() + done, data.data() + done, whole, nonce_.data(),
                                  offset_ / block_size, psk_.key.data());
    done += whole;
    offset_ += whole;
  }
  // 3. A partial last block: keep its keystream for the next call.
  if (done < data.size()) {
    load_block(offset_ / block_size);
    const std::size_t n = data.size() - done;
    for (std::size_t i = 0; i < n; ++i) data[done + i] ^= block_[i];
    offset_ += n;
  }
}

void Writer::seal(ByteView plaintext, Bytes& out) {
  if (!nonce_sent_) {
    out.insert(out.end(), nonce_.begin(), nonce_.end());
    nonce_sent_ = true;
  }
  const std::size_t start = out.size();
  out.insert(out.end(), plaintext.begin(), plaintext.end());
  cipher_.apply(std::span<std::uint8_t>(out).subspan(start));
}

Bytes Writer::seal(ByteView plaintext) {
  Bytes out;
  seal(plaintext, out);
  return out;
}

Reader::~Reader() { sodium_memzero(psk_.key.data(), psk_.key.size()); }

void Reader::open(ByteView wire, Bytes& out) {
  if (have_ < nonce_size) {
    const std::size_t n = std::min(nonce_size - have_, wire.size());
    std::copy_n(wire.begin(), n, nonce_.begin() + static_cast<std::ptrdiff_t>(have_));
    have_ += n;
    wire = wire.subspan(n);
    if (have_ < nonce_size) return;
    cipher_.emplace(psk_, nonce_);
  }
  const std::size_t start = out.size();
  out.insert(out.end(), wire.begin(), wire.end());
  cipher_->apply(std::span<std::uint8_t>(out).subspan(start));
}

Bytes Reader::open(ByteView wire) {
  Bytes out;
  open(wire, out);
  return out;
}

}  // namespace cf::p2p::pnet
