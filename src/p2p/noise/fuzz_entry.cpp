// Fuzz entry point of the noise sublayer (see fuzz_entry.hpp). Keys are fixed so that a crash
// reproduces from its input alone.
#include "fuzz_entry.hpp"

#include <array>

#include "cf/identity/ed25519.hpp"
#include "cf/p2p/noise/framing.hpp"
#include "cf/p2p/noise/handshake.hpp"
#include "cf/p2p/noise/payload.hpp"
#include "cf/p2p/noise/secure_channel.hpp"

namespace cf::p2p::noise {
namespace {

identity::Ed25519Keypair fixed_identity(std::uint8_t fill) {
  std::array<std::uint8_t, 32> seed{};
  seed.fill(fill);
  return *identity::Ed25519Keypair::from_seed(seed);
}

Options fixed_keys(std::uint8_t fill) {
  Options options;
  std::array<std::uint8_t, 32> secret{};
  secret.fill(fill);
  options.static_key = *X25519Keypair::from_secret(secret);
  secret.fill(static_cast<std::uint8_t>(fill + 1));
  options.ephemeral_key = *X25519Keypair::from_secret(secret);
  return options;
}

void fuzz_payload(ByteView input) {
  if (auto payload = decode_payload(input)) {
    const PublicKey remote_static{};
    (void)verify_payload(*payload, remote_static, std::nullopt);
    (void)encode_payload(*payload);
  }
}

// The input as msg1, then as msg3 after a genuine msg1 from our own initiator.
void fuzz_responder(ByteView input) {
  auto responder = Handshake::responder(fixed_identity(1), std::nullopt, fixed_keys(3));
  (void)responder.on_frame(input);

  auto initiator = Handshake::initiator(fixed_identity(2), std::nullopt, fixed_keys(5));
  auto responder2 = Handshake::responder(fixed_identity(1), std::nullopt, fixed_keys(3));
  FrameReader reader;
  if (auto msg1 = initiator.start(); msg1 && reader.append(*msg1)) {
    if (auto frame = reader.next(); frame && responder2.on_frame(*frame)) {
      (void)responder2.on_frame(input);
      (void)responder2.finish();
    }
  }
}

void fuzz_framing(ByteView input) {
  FrameReader reader(1024);
  if (reader.append(input)) {
    while (reader.next()) {
    }
  }
  SecureChannel channel(TransportCiphers{});  // no keys: frames pass through unchanged
  (void)channel.feed(input);
}

}  // namespace

int fuzz_noise_payload(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  fuzz_payload(input);
  fuzz_responder(input);
  fuzz_framing(input);
  return 0;
}

}  // namespace cf::p2p::noise
