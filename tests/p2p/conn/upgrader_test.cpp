// The upgrade pipeline, both roles over loopback: pnet + /noise + Noise XX + early muxer.
#include "cf/p2p/conn/upgrader.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <gtest/gtest.h>

#include "cf/identity/identity.hpp"

namespace cf::p2p {
namespace {

namespace mf = cf::multiformats;
using namespace std::chrono_literals;

struct Outcome {
  std::optional<Result<Upgraded>> dialer;
  std::optional<Result<Upgraded>> listener;
};

Outcome run_upgrade(std::optional<pnet::Psk> dial_psk, std::optional<pnet::Psk> listen_psk,
                    const identity::Identity& dialer, const identity::Identity& listener,
                    std::optional<mf::PeerId> expected) {
  asio::io_context io;
  Outcome out;
  auto l = transport::TcpListener::listen(io.get_executor(), *mf::Multiaddr::parse("/ip4/127.0.0.1/tcp/0"));
  EXPECT_TRUE(l);
  UpgradeConfig dial_config{.identity = dialer.keypair(), .psk = dial_psk, .timeout = 3s};
  UpgradeConfig listen_config{.identity = listener.keypair(), .psk = listen_psk, .timeout = 3s};
  asio::co_spawn(io, [&]() -> Task<void> {
    auto socket = co_await l->accept();
    if (socket) out.listener = co_await upgrade_inbound(std::move(*socket), listen_config);
  }, asio::detached);
  asio::co_spawn(io, [&]() -> Task<void> {
    auto socket = co_await transport::dial(l->local_address(), 2s);
    if (socket) out.dialer = co_await upgrade_outbound(std::move(*socket), dial_config, expected);
  }, asio::detached);
  io.run_for(10s);
  return out;
}

TEST(Upgrader, BothRolesAgreeOnPeersAndYamux) {
  auto a = identity::Identity::generate();
  auto b = identity::Identity::generate();
  for (auto psk : {std::optional<pnet::Psk>{}, std::optional<pnet::Psk>{*pnet::parse_psk(std::string(64, 'e'))}}) {
    auto out = run_upgrade(psk, psk, a, b, b.id());
    ASSERT_TRUE(out.dialer && out.listener);
    ASSERT_TRUE(*out.dialer) << out.dialer->error().message();
    ASSERT_TRUE(*out.listener) << out.listener->error().message();
    EXPECT_EQ((*out.dialer)->remote, b.id());
    EXPECT_EQ((*out.listener)->remote, a.id());
    EXPECT_TRUE((*out.dialer)->outbound);
    EXPECT_FALSE((*out.listener)->outbound);
    EXPECT_EQ((*out.dialer)->pnet_out.has_value(), psk.has_value());
  }
}

TEST(Upgrader, PskOnOneSideOnlyFailsWithinTheTimeout) {
  auto a = identity::Identity::generate();
  auto b = identity::Identity::generate();
  auto out = run_upgrade(*pnet::parse_psk(std::string(64, '1')), std::nullopt, a, b, b.id());
  ASSERT_TRUE(out.dialer);
  EXPECT_FALSE(*out.dialer);
}

// The PSKs match (multistream agreed on /noise through them): a wrong peer ID must not be
// blamed on the secret.
TEST(Upgrader, PeerIdMismatchWithTheRightPskHasNoPskHint) {
  auto a = identity::Identity::generate();
  auto b = identity::Identity::generate();
  auto someone_else = identity::Identity::generate();
  auto psk = *pnet::parse_psk(std::string(64, '2'));
  auto out = run_upgrade(psk, psk, a, b, someone_else.id());
  ASSERT_TRUE(out.dialer);
  ASSERT_FALSE(*out.dialer);
  const auto message = out.dialer->error().message();
  EXPECT_NE(message.find("peer ID mismatch"), std::string::npos) << message;
  EXPECT_EQ(message.find("PSK"), std::string::npos) << message;
}

// Different PSKs: the first step fails, and that one says to check the secret.
TEST(Upgrader, DifferentPsksHintAtThePsk) {
  auto a = identity::Identity::generate();
  auto b = identity::Identity::generate();
  auto out = run_upgrade(*pnet::parse_psk(std::string(64, '3')), *pnet::parse_psk(std::string(64, '4')), a, b, b.id());
  ASSERT_TRUE(out.dialer);
  ASSERT_FALSE(*out.dialer);
  const auto message = out.dialer->error().message();
  EXPECT_NE(message.find("is the PSK right?"), std::string::npos) << message;
}

}  // namespace
}  // namespace cf::p2p
