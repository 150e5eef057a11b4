// The gossipsub RPC codec: round trips, go v0.16's hello shape, unknown fields, every bound,
// truncation at every offset and wrong wire types (go-libp2p-pubsub v0.16 pb/rpc.proto;
// libp2p-wire.md §7.3).
#include "cf/p2p/gossipsub/rpc.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "cf/base/protowire.hpp"
#include "cf/p2p/gossipsub/errc.hpp"
#include "vectors/peer_id_spec.hpp"

namespace cf::p2p::gossipsub {
namespace {

namespace pw = cf::protowire;
using cf::test::peer_id_spec::unhex;

Bytes field(std::uint32_t number, ByteView payload) {
  Bytes out;
  pw::append_bytes_field(out, number, payload);
  return out;
}

Bytes field(std::uint32_t number, std::string_view payload) { return field(number, as_bytes(payload)); }

Bytes varint_field(std::uint32_t number, std::uint64_t value) {
  Bytes out;
  pw::append_varint_field(out, number, value);
  return out;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Message sample_message(std::uint8_t seqno) {
  Message m;
  m.from = unhex("0024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e");
  m.data = Bytes{'h', 'i', 0x00, 0xff};
  m.seqno = Bytes{0, 0, 0, 0, 0, 0, 0, seqno};
  m.topic = "fzhnp2UwTBkgNabrJi1VanzwgN";
  m.signature = Bytes(64, 0x5a);
  m.raw = encode_message(m);
  return m;
}

Rpc sample_rpc() {
  Rpc rpc;
  rpc.subscriptions = {{true, "fzhnp2UwTBkgNabrJi1VanzwgN"}, {false, "monitor.metrics"}};
  rpc.publish = {sample_message(1), sample_message(2)};
  rpc.control.ihave = {{"t1", {Bytes{1, 2, 3}, Bytes{0xff, 0x00}}}, {"t2", {}}};
  rpc.control.iwant = {{{Bytes{9}, Bytes(46, 0xee)}}};
  rpc.control.graft = {{"t1"}, {"t3"}};
  rpc.control.prune = {{"t1", 60, 0}, {"t2", std::nullopt, 0}};
  rpc.control.idontwant = {{{Bytes{7, 7}}}};
  return rpc;
}

void expect_same(const Rpc& a, const Rpc& b) {
  ASSERT_EQ(a.subscriptions.size(), b.subscriptions.size());
  for (std::size_t i = 0; i < a.subscriptions.size(); ++i) {
    EXPECT_EQ(a.subscriptions[i].subscribe, b.subscriptions[i].subscribe);
    EXPECT_EQ(a.subscriptions[i].topic, b.subscriptions[i].topic);
  }
  ASSERT_EQ(a.publish.size(), b.publish.size());
  for (std::size_t i = 0; i < a.publish.size(); ++i) {
    EXPECT_EQ(a.publish[i].raw, b.publish[i].raw);
    EXPECT_EQ(a.publish[i].from, b.publish[i].from);
    EXPECT_EQ(a.publish[i].data, b.publish[i].data);
    EXPECT_EQ(a.publish[i].seqno, b.publish[i].seqno);
    EXPECT_EQ(a.publish[i].topic, b.publish[i].topic);
    EXPECT_EQ(a.publish[i].signature, b.publish[i].signature);
    EXPECT_EQ(a.publish[i].key, b.publish[i].key);
  }
  const auto& x = a.control;
  const auto& y = b.control;
  ASSERT_EQ(x.ihave.size(), y.ihave.size());
  for (std::size_t i = 0; i < x.ihave.size(); ++i) {
    EXPECT_EQ(x.ihave[i].topic, y.ihave[i].topic);
    EXPECT_EQ(x.ihave[i].ids, y.ihave[i].ids);
  }
  ASSERT_EQ(x.iwant.size(), y.iwant.size());
  for (std::size_t i = 0; i < x.iwant.size(); ++i) EXPECT_EQ(x.iwant[i].ids, y.iwant[i].ids);
  ASSERT_EQ(x.graft.size(), y.graft.size());
  for (std::size_t i = 0; i < x.graft.size(); ++i) EXPECT_EQ(x.graft[i].topic, y.graft[i].topic);
  ASSERT_EQ(x.prune.size(), y.prune.size());
  for (std::size_t i = 0; i < x.prune.size(); ++i) {
    EXPECT_EQ(x.prune[i].topic, y.prune[i].topic);
    EXPECT_EQ(x.prune[i].backoff, y.prune[i].backoff);
  }
  ASSERT_EQ(x.idontwant.size(), y.idontwant.size());
  for (std::size_t i = 0; i < x.idontwant.size(); ++i) {
    EXPECT_EQ(x.idontwant[i].ids, y.idontwant[i].ids);
  }
}

TEST(GossipsubRpc, RoundTripsEveryKind) {
  const Rpc rpc = sample_rpc();
  const Bytes encoded = encode_rpc(rpc);
  auto decoded = decode_rpc(encoded);
  ASSERT_TRUE(decoded) << decoded.error().message();
  expect_same(rpc, *decoded);
  EXPECT_EQ(encode_rpc(*decoded), encoded);
}

TEST(GossipsubRpc, EmptyRpcDecodesToNothing) {
  auto decoded = decode_rpc({});
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(decoded->subscriptions.empty());
  EXPECT_TRUE(decoded->publish.empty());
  EXPECT_TRUE(decoded->control.empty());
  EXPECT_TRUE(encode_rpc(Rpc{}).empty());
}

TEST(GossipsubRpc, EncodesKnownBytes) {
  Rpc rpc;
  rpc.subscriptions = {{true, "ab"}};
  rpc.control.graft = {{"ab"}};
  rpc.control.prune = {{"ab", 60, 0}};
  // 0a 06 {08 01 12 02 "ab"} 1a 0e {1a 04 {0a 02 "ab"} 22 06 {0a 02 "ab" 18 3c}}
  EXPECT_EQ(to_hex(encode_rpc(rpc)), "0a06080112026162" "1a0e" "1a040a026162" "22060a026162183c");
}

TEST(GossipsubRpc, AcceptsGoV016HelloWithPartialFields) {
  // go v0.16 getHelloPacket: topicid, subscribe, requestsPartial=false, supportsSendingPartial=false,
  // in the field order its generated Marshal writes (1, 2, 3, 4).
  const Bytes sub = cat({varint_field(1, 1), field(2, "fzhnp2UwTBkgNabrJi1VanzwgN"),
                         varint_field(3, 0), varint_field(4, 0)});
  const Bytes hello = cat({field(1, sub), field(1, cat({varint_field(1, 1), field(2, "monitor.metrics"),
                                                        varint_field(3, 1), varint_field(4, 1)}))});
  auto rpc = decode_rpc(hello);
  ASSERT_TRUE(rpc) << rpc.error().message();
  ASSERT_EQ(rpc->subscriptions.size(), 2u);
  EXPECT_TRUE(rpc->subscriptions[0].subscribe);
  EXPECT_EQ(rpc->subscriptions[0].topic, "fzhnp2UwTBkgNabrJi1VanzwgN");
  EXPECT_EQ(rpc->subscriptions[1].topic, "monitor.metrics");
}

TEST(GossipsubRpc, SkipsUnknownFieldsEverywhere) {
  const Bytes fixed32 = {0x3d, 1, 2, 3, 4};  // field 7, wire type 5
  const Bytes fixed64 = {0x41, 1, 2, 3, 4, 5, 6, 7, 8};  // field 8, wire type 1
  const Message m = sample_message(3);
  const Bytes message = cat({m.raw, varint_field(7, 5), fixed64});
  const Bytes control = cat({field(1, cat({field(1, "t"), fixed32, field(2, Bytes{1})})),
                             field(2, cat({varint_field(2, 1), field(1, Bytes{2})})),
                             field(3, cat({field(1, "t"), varint_field(9, 9)})),
                             field(4, cat({field(1, "t"), fixed32, varint_field(3, 5)})),
                             field(5, cat({field(1, Bytes{3}), field(2, "x")})),
                             field(6, cat({varint_field(1, 1)})),  // extensions (1.3)
                             varint_field(99, 1)});
  const Bytes rpc = cat({field(1, cat({varint_field(1, 1), field(2, "t"), varint_field(5, 1)})),
                         field(2, message), field(3, control),
                         field(10, "partial"),            // partial messages extension
                         field(6492434, "test extension"),  // testExtension
                         fixed32});
  auto decoded = decode_rpc(rpc);
  ASSERT_TRUE(decoded) << decoded.error().message();
  ASSERT_EQ(decoded->publish.size(), 1u);
  EXPECT_EQ(decoded->publish[0].raw, message);  // kept byte for byte, unknown fields included
  EXPECT_EQ(decoded->publish[0].data, m.data);
  ASSERT_EQ(decoded->control.ihave.size(), 1u);
  EXPECT_EQ(decoded->control.ihave[0].ids, std::vector<MessageId>{Bytes{1}});
  EXPECT_EQ(decoded->control.iwant[0].ids, std::vector<MessageId>{Bytes{2}});
  EXPECT_EQ(decoded->control.graft[0].topic, "t");
  EXPECT_EQ(decoded->control.prune[0].backoff, 5u);
  EXPECT_EQ(decoded->control.idontwant[0].ids, std::vector<MessageId>{Bytes{3}});
}

TEST(GossipsubRpc, LastScalarWinsAndRepeatedControlMerges) {
  const Bytes rpc = cat({field(3, field(3, field(1, "a"))), field(3, field(3, field(1, "b"))),
                         field(1, cat({field(2, "x"), field(2, "y"), varint_field(1, 1), varint_field(1, 0)}))});
  auto decoded = decode_rpc(rpc);
  ASSERT_TRUE(decoded) << decoded.error().message();
  ASSERT_EQ(decoded->control.graft.size(), 2u);
  EXPECT_EQ(decoded->control.graft[1].topic, "b");
  EXPECT_EQ(decoded->subscriptions[0].topic, "y");
  EXPECT_FALSE(decoded->subscriptions[0].subscribe);
}

TEST(GossipsubRpc, PruneCountsPeerExchangeEntries) {
  const Bytes info = cat({field(1, Bytes(38, 1)), field(2, Bytes(100, 2))});
  const Bytes rpc = field(3, field(4, cat({field(1, "t"), field(2, info), field(2, info), varint_field(3, 60)})));
  auto decoded = decode_rpc(rpc);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(decoded->control.prune[0].px_peers, 2u);
  EXPECT_EQ(decoded->control.prune[0].backoff, 60u);
}

void expect_limit(const Bytes& rpc, const RpcLimits& limits) {
  auto decoded = decode_rpc(rpc, limits);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error(), errc::limit_exceeded) << decoded.error().message();
  EXPECT_TRUE(decode_rpc(rpc)) << "the default limits accept it";
}

TEST(GossipsubRpc, EnforcesEveryBound) {
  RpcLimits small;
  small.max_topic_size = 4;
  expect_limit(field(1, field(2, "12345")), small);
  expect_limit(field(2, field(4, "12345")), small);
  expect_limit(field(3, field(1, field(1, "12345"))), small);
  expect_limit(field(3, field(3, field(1, "12345"))), small);
  expect_limit(field(3, field(4, field(1, "12345"))), small);
  EXPECT_TRUE(decode_rpc(field(1, field(2, "1234")), small));

  RpcLimits ids;
  ids.max_id_size = 3;
  expect_limit(field(3, field(1, field(2, Bytes(4, 0)))), ids);
  expect_limit(field(3, field(2, field(1, Bytes(4, 0)))), ids);
  expect_limit(field(3, field(5, field(1, Bytes(4, 0)))), ids);

  RpcLimits counts;
  counts.max_subscriptions = 2;
  counts.max_messages = 2;
  counts.max_control_entries = 2;
  counts.max_ids = 3;
  counts.max_px_peers = 1;
  const Bytes sub = field(1, field(2, "t"));
  expect_limit(cat({sub, sub, sub}), counts);
  const Bytes msg = field(2, sample_message(1).raw);
  expect_limit(cat({msg, msg, msg}), counts);
  for (std::uint32_t kind = 1; kind <= 5; ++kind) {
    const Bytes entry = field(kind, Bytes{});
    expect_limit(field(3, cat({entry, entry, entry})), counts);
    EXPECT_TRUE(decode_rpc(field(3, cat({entry, entry})), counts)) << kind;
  }
  const Bytes two_ids = cat({field(1, Bytes{1}), field(1, Bytes{2})});
  expect_limit(cat({field(3, field(2, two_ids)), field(3, field(5, two_ids))}), counts);
  expect_limit(field(3, field(4, cat({field(2, Bytes{}), field(2, Bytes{})}))), counts);

  RpcLimits size;
  size.max_size = 10;
  auto decoded = decode_rpc(Bytes(11, 0), size);
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error(), errc::rpc_too_large);
  EXPECT_EQ(decode_rpc(Bytes(max_rpc_size + 1, 0)).error(), errc::rpc_too_large);
}

TEST(GossipsubRpc, TruncationAtEveryOffsetFailsCleanly) {
  const Bytes encoded = encode_rpc(sample_rpc());
  // Offsets where a whole top-level field ends: only there may a prefix decode.
  std::set<std::size_t> boundaries{0};
  pw::Reader reader(encoded);
  while (auto f = reader.next()) {
    if (!*f) break;
    boundaries.insert(reader.offset());
  }
  for (std::size_t n = 0; n < encoded.size(); ++n) {
    auto decoded = decode_rpc(ByteView(encoded).first(n));
    if (boundaries.count(n)) {
      EXPECT_TRUE(decoded) << n;
    } else {
      ASSERT_FALSE(decoded) << n;
      EXPECT_EQ(decoded.error(), errc::malformed_rpc) << n;
    }
  }
}

TEST(GossipsubRpc, RejectsWrongWireTypes) {
  const std::vector<std::pair<const char*, Bytes>> cases = {
      {"RPC.subscriptions", varint_field(1, 1)},
      {"RPC.publish", varint_field(2, 1)},
      {"RPC.control", Bytes{0x1d, 0, 0, 0, 0}},
      {"SubOpts.subscribe", field(1, field(1, "x"))},
      {"SubOpts.topicid", field(1, varint_field(2, 1))},
      {"SubOpts.requestsPartial", field(1, field(3, "x"))},
      {"SubOpts.supportsSendingPartial", field(1, field(4, "x"))},
      {"Message.from", field(2, varint_field(1, 1))},
      {"Message.data", field(2, varint_field(2, 1))},
      {"Message.seqno", field(2, varint_field(3, 1))},
      {"Message.topic", field(2, varint_field(4, 1))},
      {"Message.signature", field(2, varint_field(5, 1))},
      {"Message.key", field(2, varint_field(6, 1))},
      {"Control.ihave", field(3, varint_field(1, 1))},
      {"Control.iwant", field(3, varint_field(2, 1))},
      {"Control.graft", field(3, varint_field(3, 1))},
      {"Control.prune", field(3, varint_field(4, 1))},
      {"Control.idontwant", field(3, varint_field(5, 1))},
      {"IHave.topicID", field(3, field(1, varint_field(1, 1)))},
      {"IHave.messageIDs", field(3, field(1, varint_field(2, 1)))},
      {"IWant.messageIDs", field(3, field(2, varint_field(1, 1)))},
      {"Graft.topicID", field(3, field(3, varint_field(1, 1)))},
      {"Prune.topicID", field(3, field(4, varint_field(1, 1)))},
      {"Prune.peers", field(3, field(4, varint_field(2, 1)))},
      {"Prune.backoff", field(3, field(4, field(3, "x")))},
      {"IDontWant.messageIDs", field(3, field(5, varint_field(1, 1)))},
  };
  for (const auto& [name, rpc] : cases) {
    auto decoded = decode_rpc(rpc);
    ASSERT_FALSE(decoded) << name;
    EXPECT_EQ(decoded.error(), errc::malformed_rpc) << name;
    // The detail names the message and field, never the bytes.
    EXPECT_NE(decoded.error().message().find("wire type"), std::string::npos) << name;
  }
}

TEST(GossipsubRpc, RejectsGroupsAndBadTags) {
  EXPECT_EQ(decode_rpc(Bytes{0x0b, 0x0c}).error(), errc::malformed_rpc);  // start group
  EXPECT_EQ(decode_rpc(Bytes{0x00, 0x01}).error(), errc::malformed_rpc);  // field 0
  EXPECT_EQ(decode_rpc(Bytes{0x12, 0xff, 0xff, 0xff, 0xff, 0x0f}).error(), errc::malformed_rpc);
}

TEST(GossipsubRpc, EncodedSizesMatchTheEncoding) {
  const Rpc rpc = sample_rpc();
  std::size_t control = 0;
  for (const auto& e : rpc.control.ihave) control += encoded_size(e);
  for (const auto& e : rpc.control.iwant) control += encoded_size(e);
  for (const auto& e : rpc.control.graft) control += encoded_size(e);
  for (const auto& e : rpc.control.prune) control += encoded_size(e);
  for (const auto& e : rpc.control.idontwant) control += encoded_size(e);
  std::size_t total = field_size(control);
  for (const auto& s : rpc.subscriptions) total += encoded_size(s);
  for (const auto& m : rpc.publish) total += field_size(m.raw.size());
  EXPECT_EQ(encode_rpc(rpc).size(), total);
}

TEST(GossipsubRpc, EncodesPublishFromRawUnchanged) {
  Rpc rpc;
  rpc.publish = {sample_message(1)};
  rpc.publish[0].raw = cat({field(4, "t"), field(1, Bytes{1}), varint_field(12, 3)});
  rpc.publish[0].data = Bytes{'i', 'g', 'n', 'o', 'r', 'e', 'd'};
  const Bytes encoded = encode_rpc(rpc);
  EXPECT_EQ(encoded, field(2, rpc.publish[0].raw));
  // Without raw, the fields are encoded in order.
  rpc.publish[0].raw.clear();
  auto decoded = decode_rpc(encode_rpc(rpc));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->publish[0].data, rpc.publish[0].data);
}

}  // namespace
}  // namespace cf::p2p::gossipsub
