// The follower policy table (upstream-follow-cli.md §3.1), plus the real sharded-DAG pins the
// lab produced (tests/vectors/rest), whose shards were allocated to the upstream follower.
#include "cf/cluster/pin_policy.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace cf::cluster {
namespace {

namespace mf = multiformats;
using Kind = PinAction::Kind;
using Mode = PinAction::Mode;

const mf::PeerId self = *mf::PeerId::parse("12D3KooWGZCjgKraWsKLJD9cGJytzPmoUGrVoHBHiY6y4dFuNBHZ");
const mf::PeerId other = *mf::PeerId::parse("12D3KooWEqAP93RVeWkndtBsTTAmUUWvH2mLqLbptA3j1q2DyKKB");
constexpr std::int64_t now = 1'700'000'000;

PinAction decide(const Pin& pin, const mf::PeerId& peer) { return cluster::decide(pin, peer, now); }

Pin make(PinType type, int max_depth, int rf, std::vector<mf::PeerId> allocations) {
  Pin pin{*mf::Cid::parse("QmT83xVyEEUPX1Kk8HxoZx7LtcKBB4xCyg729kYuYkSiJv")};
  pin.type = type;
  pin.max_depth = max_depth;
  pin.replication_factor_min = rf;
  pin.replication_factor_max = rf;
  pin.allocations = std::move(allocations);
  return pin;
}

TEST(PinPolicy, Table) {
  struct Case {
    const char* what;
    Pin pin;
    PinAction want;
  };
  const PinAction remote{Kind::remote, Mode::recursive, -1};
  const PinAction sharded{Kind::sharded, Mode::recursive, -1};
  const Case cases[] = {
      {"data everywhere", make(PinType::data, -1, -1, {}), {Kind::pin, Mode::recursive, -1}},
      {"data everywhere, direct", make(PinType::data, 0, -1, {}), {Kind::pin, Mode::direct, 0}},
      {"data everywhere, depth 3", make(PinType::data, 3, -1, {}), {Kind::pin, Mode::limited, 3}},
      {"data allocated to self", make(PinType::data, -1, 2, {other, self}), {Kind::pin, Mode::recursive, -1}},
      {"data allocated to self, direct", make(PinType::data, 0, 1, {self}), {Kind::pin, Mode::direct, 0}},
      {"data allocated elsewhere", make(PinType::data, -1, 1, {other}), remote},
      {"data with no allocations yet", make(PinType::data, -1, 1, {}), remote},
      {"meta everywhere", make(PinType::meta, 0, -1, {}), sharded},
      {"meta allocated to self", make(PinType::meta, 0, 1, {self}), sharded},
      {"meta allocated elsewhere", make(PinType::meta, 0, 1, {other}), sharded},
      {"cluster DAG everywhere", make(PinType::cluster_dag, 0, -1, {}), {Kind::pin, Mode::direct, 0}},
      {"cluster DAG with a recursive depth", make(PinType::cluster_dag, -1, -1, {}), {Kind::pin, Mode::direct, 0}},
      {"cluster DAG allocated elsewhere", make(PinType::cluster_dag, 0, 1, {other}), remote},
      {"shard allocated to self", make(PinType::shard, 1, 1, {self}), {Kind::pin, Mode::limited, 1}},
      {"shard of an indirect graph", make(PinType::shard, 2, 1, {self}), {Kind::pin, Mode::limited, 2}},
      {"shard with depth -1", make(PinType::shard, -1, 1, {self}), {Kind::pin, Mode::limited, 1}},
      {"shard allocated elsewhere", make(PinType::shard, 1, 1, {other}), remote},
      {"shard everywhere", make(PinType::shard, 1, -1, {}), {Kind::pin, Mode::limited, 1}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(decide(c.pin, self), c.want) << c.what << ": got " << to_string(decide(c.pin, self).kind) << " "
                                           << to_string(decide(c.pin, self).mode) << " "
                                           << decide(c.pin, self).max_depth;
  }
}

TEST(PinPolicy, OneSidedReplicationIsNotEverywhere) {
  // Upstream's IsPinEverywhere needs both factors at -1.
  auto pin = make(PinType::data, -1, -1, {other});
  pin.replication_factor_max = 2;
  EXPECT_FALSE(is_pin_everywhere(pin));
  EXPECT_TRUE(is_remote_pin(pin, self));
  EXPECT_EQ(decide(pin, self).kind, Kind::remote);
}

TEST(PinPolicy, ExpiredPinsAreNotPinned) {
  auto pin = make(PinType::data, 0, -1, {});
  pin.expire_at = now - 1;
  EXPECT_TRUE(is_expired(pin, now));
  EXPECT_EQ(decide(pin, self), (PinAction{Kind::expired, Mode::recursive, -1}));
  pin.expire_at = now;  // upstream's ExpiredAt: expire_at strictly before now
  EXPECT_FALSE(is_expired(pin, now));
  EXPECT_EQ(decide(pin, self), (PinAction{Kind::pin, Mode::direct, 0}));
  EXPECT_EQ(cluster::decide(pin, self, now + 1).kind, Kind::expired);
  pin.expire_at.reset();  // never expires
  EXPECT_EQ(cluster::decide(pin, self, now * 2).kind, Kind::pin);
  pin.expire_at = 0;  // Go's zero time read as a number: never
  EXPECT_FALSE(is_expired(pin, now));
}

TEST(PinPolicy, MetaAndRemoteGoBeforeExpiry) {
  auto meta = make(PinType::meta, 0, -1, {});
  meta.expire_at = 1;
  EXPECT_EQ(decide(meta, self).kind, Kind::sharded);
  auto elsewhere = make(PinType::data, -1, 1, {other});
  elsewhere.expire_at = 1;
  EXPECT_EQ(decide(elsewhere, self).kind, Kind::remote);
  auto here = make(PinType::shard, 1, 1, {self});
  here.expire_at = 1;
  EXPECT_EQ(decide(here, self).kind, Kind::expired);
}

TEST(PinPolicy, StatusNamesAreUpstreams) {
  EXPECT_EQ(to_string(Kind::remote), "remote");
  EXPECT_EQ(to_string(Kind::sharded), "sharded");
  EXPECT_EQ(to_string(Kind::pin), "pin");
  EXPECT_EQ(to_string(Kind::expired), "expired");
  EXPECT_EQ(to_string(Mode::recursive), "recursive");
  EXPECT_EQ(to_string(Mode::direct), "direct");
  EXPECT_EQ(to_string(Mode::limited), "limited");
}

Pin vector_pin(const std::string& name) {
  std::ifstream in(std::filesystem::path(CF_SOURCE_DIR) / "tests/vectors/rest" / name);
  std::stringstream s;
  s << in.rdbuf();
  auto pin = pin_from_json(s.str());
  EXPECT_TRUE(pin) << name;
  return pin ? *pin : make(PinType::data, -1, -1, {});
}

TEST(PinPolicy, RealShardedDagFromTheLab) {
  // The lab's shards were allocated to the upstream follower (`self` here), not the trusted peer.
  EXPECT_EQ(decide(vector_pin("pin_meta.json"), self), (PinAction{Kind::sharded, Mode::recursive, -1}));
  EXPECT_EQ(decide(vector_pin("pin_clusterdag.json"), self), (PinAction{Kind::pin, Mode::direct, 0}));
  EXPECT_EQ(decide(vector_pin("pin_shard.json"), self), (PinAction{Kind::pin, Mode::limited, 1}));
  EXPECT_EQ(decide(vector_pin("pin_shard.json"), other).kind, Kind::remote);
  EXPECT_EQ(decide(vector_pin("pin_replication.json"), self).kind, Kind::remote);
  EXPECT_EQ(decide(vector_pin("pin_replication.json"), other).kind, Kind::pin);
  EXPECT_EQ(decide(vector_pin("pin_direct.json"), self), (PinAction{Kind::pin, Mode::direct, 0}));
}

}  // namespace
}  // namespace cf::cluster
