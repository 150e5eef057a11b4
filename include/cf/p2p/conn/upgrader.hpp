// The connection upgrade, both roles (libp2p-wire.md §0.1; go-libp2p p2p/net/upgrader
// upgrader.go, p2p/net/pnet/psk_conn.go): TCP socket -> pnet when a PSK is set (our nonce is
// written at once) -> multistream-select "/noise" -> Noise XX with early muxer negotiation ->
// multistream-select "/yamux/1.0.0" over the channel only when no muxer was agreed.
// The whole upgrade is bounded by `timeout` (go's accept timeout is 15 s); on any failure the
// socket is closed and the error names the step. Runs on the socket's executor; cancelling
// the awaiting task abandons the upgrade and closes the socket.
#pragma once

#include <chrono>
#include <optional>

#include "cf/base/bytes.hpp"
#include "cf/base/result.hpp"
#include "cf/base/task.hpp"
#include "cf/identity/ed25519.hpp"
#include "cf/multiformats/multiaddr.hpp"
#include "cf/multiformats/peer_id.hpp"
#include "cf/p2p/noise/secure_channel.hpp"
#include "cf/p2p/pnet/cipher.hpp"
#include "cf/p2p/pnet/psk.hpp"
#include "cf/p2p/transport/tcp.hpp"

namespace cf::p2p {

inline constexpr std::chrono::seconds upgrade_timeout{15};

struct UpgradeConfig {
  identity::Ed25519Keypair identity;
  std::optional<pnet::Psk> psk;
  std::chrono::milliseconds timeout{upgrade_timeout};
};

// A secured, muxer-ready connection: what Connection::create takes over.
struct Upgraded {
  transport::Socket socket;
  std::optional<pnet::Writer> pnet_out;
  std::optional<pnet::Reader> pnet_in;
  std::optional<noise::SecureChannel> channel;
  Bytes plaintext;  // yamux bytes that arrived with the last upgrade message
  std::optional<multiformats::PeerId> remote;
  bool outbound = false;
  multiformats::Multiaddr remote_addr;
  multiformats::Multiaddr local_addr;
};

// The dialer: `expected` from the /p2p/ component (noise errc::peer_id_mismatch otherwise).
Task<Result<Upgraded>> upgrade_outbound(transport::Socket socket, const UpgradeConfig& config,
                                        std::optional<multiformats::PeerId> expected);
// The listener: any peer (with the PSK, when set) may connect.
Task<Result<Upgraded>> upgrade_inbound(transport::Socket socket, const UpgradeConfig& config);

}  // namespace cf::p2p
