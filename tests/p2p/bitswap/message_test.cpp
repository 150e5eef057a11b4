// The bitswap message codec: go-style encodings built by hand from libp2p-wire.md §8.2, proto3
// defaults, every decode bound, truncation, wrong wire types, and split_message.
#include "cf/p2p/bitswap/message.hpp"

#include <gtest/gtest.h>

#include <string>

#include "cf/base/protowire.hpp"
#include "cf/multiformats/multicodec.hpp"
#include "cf/p2p/bitswap/errc.hpp"

namespace cf::p2p::bitswap {
namespace {

namespace mf = cf::multiformats;
namespace pw = cf::protowire;

// "<tag><n>", built without `"literal" + std::string`, which trips GCC 12's -Wrestrict at -O3.
std::string numbered(std::string_view tag, int n) {
  std::string out(tag);
  out += std::to_string(n);
  return out;
}

mf::Cid v1(std::string_view content, std::uint64_t codec = mf::multicodec::dag_pb) {
  return mf::Cid::v1(codec, mf::Multihash::sha2_256(as_bytes(content)));
}

Bytes cat(std::initializer_list<ByteView> parts) {
  Bytes out;
  for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Bytes submessage(std::uint32_t number, ByteView body) {
  Bytes out;
  pw::append_bytes_field(out, number, body);
  return out;
}

Message full_message() {
  Message m;
  m.wantlist = {WantEntry{v1("a"), 7, false, WantType::block, true},
                WantEntry{v1("b"), 0, true, WantType::block, false},
                WantEntry{*mf::Cid::v0(mf::Multihash::sha2_256(as_bytes("c"))), -3, false,
                          WantType::have, true}};
  m.full = true;
  m.payload = {BlockPayload{{0x01, 0x70, 0x12, 0x20}, {1, 2, 3}},
               BlockPayload{{0x01, 0x55, 0x12, 0x20}, {}}};
  m.presences = {Presence{v1("d"), PresenceType::have}, Presence{v1("e"), PresenceType::dont_have}};
  m.pending_bytes = 123456;
  return m;
}

TEST(BitswapMessage, ProtocolConstants) {
  EXPECT_EQ(protocol_id, "/ipfs/bitswap/1.2.0");
  EXPECT_EQ(max_message_size, std::size_t{1} << 22);
  EXPECT_EQ(max_cid_size, 168u);
}

TEST(BitswapMessage, RoundTripsEveryField) {
  const Message m = full_message();
  const Bytes bytes = encode_message(m);
  EXPECT_EQ(bytes.size(), encoded_size(m));
  auto decoded = decode_message(bytes);
  ASSERT_TRUE(decoded) << decoded.error().message();
  EXPECT_EQ(*decoded, m);
}

TEST(BitswapMessage, EmptyMessageIsEmptyBytes) {
  EXPECT_TRUE(encode_message(Message{}).empty());
  EXPECT_EQ(encoded_size(Message{}), 0u);
  auto decoded = decode_message({});
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, Message{});
  EXPECT_TRUE(decoded->empty());
}

// §8.3 step 1: {wantlist {entries [{block, priority 1, sendDontHave true}]}}, as go writes it.
TEST(BitswapMessage, EncodesWantBlockLikeGo) {
  const mf::Cid cid = v1("block");
  Message m;
  m.wantlist.push_back(WantEntry{cid, 1, false, WantType::block, true});
  const Bytes header{0x0a, 0x2c, 0x0a, 0x2a, 0x0a, 0x24};
  const Bytes tail{0x10, 0x01, 0x28, 0x01};
  const Bytes expected = cat({header, cid.bytes(), tail});
  EXPECT_EQ(encode_message(m), expected);
  auto decoded = decode_message(expected);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, m);
}

TEST(BitswapMessage, EncodesCancelAndWantHaveLikeGo) {
  const mf::Cid cid = v1("x");
  Message m;
  m.wantlist.push_back(WantEntry{cid, 0, true, WantType::block, false});
  m.wantlist.push_back(WantEntry{cid, 5, false, WantType::have, true});
  const Bytes cancel = cat({Bytes{0x0a, 0x28, 0x0a, 0x24}, cid.bytes(), Bytes{0x18, 0x01}});
  const Bytes have = cat({Bytes{0x0a, 0x2c, 0x0a, 0x24}, cid.bytes(),
                          Bytes{0x10, 0x05, 0x20, 0x01, 0x28, 0x01}});
  const Bytes expected = cat({Bytes{0x0a, 0x58}, cancel, have});
  EXPECT_EQ(encode_message(m), expected);
}

// A go server's reply (ToProtoV1): an empty but present wantlist, a payload block with the
// prefix 01 70 12 20, a DONT_HAVE and pendingBytes.
TEST(BitswapMessage, DecodesGoReply) {
  const mf::Cid missing = v1("missing");
  const Bytes block = cat({Bytes{0x0a, 0x04, 0x01, 0x70, 0x12, 0x20, 0x12, 0x03}, as_bytes("abc")});
  const Bytes presence = cat({Bytes{0x0a, 0x24}, missing.bytes(), Bytes{0x10, 0x01}});
  const Bytes wire = cat({Bytes{0x0a, 0x00}, submessage(3, block), submessage(4, presence),
                          Bytes{0x28, 0x80, 0x01}});
  auto m = decode_message(wire);
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_TRUE(m->wantlist.empty());
  EXPECT_FALSE(m->full);
  ASSERT_EQ(m->payload.size(), 1u);
  EXPECT_EQ(m->payload[0].prefix, (Bytes{0x01, 0x70, 0x12, 0x20}));
  EXPECT_EQ(to_string(m->payload[0].data), "abc");
  ASSERT_EQ(m->presences.size(), 1u);
  EXPECT_EQ(m->presences[0].cid, missing);
  EXPECT_EQ(m->presences[0].type, PresenceType::dont_have);
  EXPECT_EQ(m->pending_bytes, 128);
}

TEST(BitswapMessage, AbsentFieldsTakeProto3Defaults) {
  const mf::Cid cid = v1("d");
  const Bytes entry = submessage(1, cid.bytes());
  const Bytes presence = submessage(1, cid.bytes());
  const Bytes wire = cat({submessage(1, submessage(1, entry)), submessage(4, presence),
                          submessage(3, Bytes{})});
  auto m = decode_message(wire);
  ASSERT_TRUE(m) << m.error().message();
  ASSERT_EQ(m->wantlist.size(), 1u);
  EXPECT_EQ(m->wantlist[0], (WantEntry{cid, 0, false, WantType::block, false}));
  EXPECT_FALSE(m->full);
  ASSERT_EQ(m->presences.size(), 1u);
  EXPECT_EQ(m->presences[0].type, PresenceType::have);
  ASSERT_EQ(m->payload.size(), 1u);
  EXPECT_TRUE(m->payload[0].prefix.empty());
  EXPECT_TRUE(m->payload[0].data.empty());
  EXPECT_EQ(m->pending_bytes, 0);
}

TEST(BitswapMessage, ExplicitZeroValuesDecodeAsDefaults) {
  const mf::Cid cid = v1("z");
  Bytes entry = submessage(1, cid.bytes());
  for (std::uint32_t f : {2u, 3u, 4u, 5u}) pw::append_varint_field(entry, f, 0);
  Bytes wantlist = submessage(1, entry);
  pw::append_varint_field(wantlist, 2, 0);
  Bytes wire = submessage(1, wantlist);
  pw::append_varint_field(wire, 5, 0);
  auto m = decode_message(wire);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->wantlist.at(0), (WantEntry{cid, 0, false, WantType::block, false}));
  EXPECT_FALSE(m->full);
}

TEST(BitswapMessage, NegativeInt32sUseTenByteVarints) {
  Message m;
  m.wantlist.push_back(WantEntry{v1("n"), -1, false, WantType::block, false});
  m.pending_bytes = -2;
  const Bytes bytes = encode_message(m);
  const Bytes pending{0x28, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  ASSERT_GE(bytes.size(), pending.size());
  EXPECT_TRUE(std::equal(pending.begin(), pending.end(), bytes.end() - 11));
  auto decoded = decode_message(bytes);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, m);
  EXPECT_EQ(bytes.size(), encoded_size(m));
}

TEST(BitswapMessage, Int32FieldsKeepTheLow32Bits) {
  Bytes wire;
  pw::append_varint_field(wire, 5, (std::uint64_t{1} << 32) + 5);
  auto m = decode_message(wire);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->pending_bytes, 5);
}

TEST(BitswapMessage, SkipsUnknownFieldsAtEveryLevel) {
  const mf::Cid cid = v1("u");
  Bytes unknown;
  pw::append_varint_field(unknown, 9, 1);
  pw::append_bytes_field(unknown, 10, as_bytes("zz"));
  pw::append_tag(unknown, 11, pw::WireType::fixed32);
  unknown.insert(unknown.end(), {1, 2, 3, 4});
  pw::append_tag(unknown, 12, pw::WireType::fixed64);
  unknown.insert(unknown.end(), 8, 0);
  const Bytes entry = cat({submessage(1, cid.bytes()), unknown});
  const Bytes wantlist = cat({submessage(1, entry), unknown});
  const Bytes block = cat({submessage(2, as_bytes("d")), unknown});
  const Bytes presence = cat({submessage(1, cid.bytes()), unknown});
  const Bytes wire = cat({unknown, submessage(1, wantlist), submessage(3, block),
                          submessage(4, presence), unknown});
  auto m = decode_message(wire);
  ASSERT_TRUE(m) << m.error().message();
  EXPECT_EQ(m->wantlist.at(0).cid, cid);
  EXPECT_EQ(to_string(m->payload.at(0).data), "d");
  EXPECT_EQ(m->presences.at(0).cid, cid);
}

// Each known field, sent with the other wire type, at its own level.
TEST(BitswapMessage, RefusesWrongWireTypes) {
  const mf::Cid cid = v1("w");
  auto bad_field = [](std::uint32_t number, bool want_bytes) {
    Bytes out;
    if (want_bytes) {
      pw::append_varint_field(out, number, 1);
    } else {
      pw::append_bytes_field(out, number, as_bytes("x"));
    }
    return out;
  };
  const Bytes cid_field = submessage(1, cid.bytes());
  std::vector<std::pair<std::string, Bytes>> cases;
  for (std::uint32_t f : {1u, 2u, 3u, 4u}) {
    cases.emplace_back(numbered("message ", static_cast<int>(f)), bad_field(f, true));
  }
  cases.emplace_back("message 5", bad_field(5, false));
  cases.emplace_back("wantlist 1", submessage(1, bad_field(1, true)));
  cases.emplace_back("wantlist 2", submessage(1, bad_field(2, false)));
  cases.emplace_back("entry 1", submessage(1, submessage(1, bad_field(1, true))));
  for (std::uint32_t f : {2u, 3u, 4u, 5u}) {
    cases.emplace_back(numbered("entry ", static_cast<int>(f)),
                       submessage(1, submessage(1, cat({cid_field, bad_field(f, false)}))));
  }
  cases.emplace_back("block 1", submessage(3, bad_field(1, true)));
  cases.emplace_back("block 2", submessage(3, bad_field(2, true)));
  cases.emplace_back("presence 1", submessage(4, bad_field(1, true)));
  cases.emplace_back("presence 2", submessage(4, cat({cid_field, bad_field(2, false)})));
  for (const auto& [name, wire] : cases) {
    auto m = decode_message(wire);
    ASSERT_FALSE(m) << name;
    EXPECT_EQ(m.error(), errc::malformed) << name << ": " << m.error().message();
  }
}

TEST(BitswapMessage, RefusesMalformedProtobuf) {
  for (const Bytes& wire : {Bytes{0x0a}, Bytes{0x0a, 0x05, 0x00}, Bytes{0x00, 0x01},
                            Bytes{0x0b}, Bytes{0x28, 0xff}, Bytes{0x0a, 0x02, 0x0a, 0x05}}) {
    auto m = decode_message(wire);
    ASSERT_FALSE(m) << to_hex(wire);
    EXPECT_EQ(m.error(), errc::malformed) << to_hex(wire);
  }
}

// Cut anywhere, the message fails to decode unless the cut falls between two top-level
// fields, where it decodes to a shorter message.
TEST(BitswapMessage, TruncationAtEveryOffset) {
  const Bytes bytes = encode_message(full_message());
  std::vector<std::size_t> boundaries{0};
  pw::Reader reader(bytes);
  while (auto field = reader.next()) {
    if (!*field) break;
    boundaries.push_back(reader.offset());
  }
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    auto m = decode_message(ByteView(bytes).first(n));
    const bool boundary = std::find(boundaries.begin(), boundaries.end(), n) != boundaries.end();
    EXPECT_EQ(m.has_value(), boundary) << "cut at " << n;
    if (m) {
      EXPECT_NE(*m, full_message());
    }
  }
}

TEST(BitswapMessage, BoundsMessageSize) {
  const Bytes bytes = encode_message(full_message());
  EXPECT_TRUE(decode_message(bytes, Limits{.max_message_size = bytes.size()}));
  auto m = decode_message(bytes, Limits{.max_message_size = bytes.size() - 1});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error(), errc::message_too_large);
}

TEST(BitswapMessage, BoundsEntryCount) {
  Message msg;
  for (int i = 0; i < 5; ++i) msg.wantlist.push_back(WantEntry{v1(std::to_string(i)), 1});
  const Bytes bytes = encode_message(msg);
  EXPECT_TRUE(decode_message(bytes, Limits{.max_entries = 5}));
  auto m = decode_message(bytes, Limits{.max_entries = 4});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error(), errc::too_many_entries);
}

TEST(BitswapMessage, BoundsBlockCountAcrossBothBlockFields) {
  Bytes wire;
  pw::append_bytes_field(wire, 2, as_bytes("old"));
  pw::append_bytes_field(wire, 3, submessage(2, as_bytes("new")));
  pw::append_bytes_field(wire, 2, as_bytes("old2"));
  EXPECT_TRUE(decode_message(wire, Limits{.max_blocks = 3}));
  auto m = decode_message(wire, Limits{.max_blocks = 2});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error(), errc::too_many_blocks);
}

TEST(BitswapMessage, BoundsPresenceCount) {
  Message msg;
  for (int i = 0; i < 3; ++i) msg.presences.push_back(Presence{v1(std::to_string(i))});
  const Bytes bytes = encode_message(msg);
  EXPECT_TRUE(decode_message(bytes, Limits{.max_presences = 3}));
  auto m = decode_message(bytes, Limits{.max_presences = 2});
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error(), errc::too_many_presences);
}

TEST(BitswapMessage, BoundsCidSize) {
  // An identity CIDv1: 01 55 00 <len> <digest>; 4 + 164 = 168 bytes, then 169.
  for (std::size_t digest : {164u, 165u}) {
    const mf::Cid cid = mf::Cid::v1(mf::multicodec::raw, mf::Multihash::identity(Bytes(digest, 7)));
    Message msg;
    msg.wantlist.push_back(WantEntry{cid});
    msg.presences.push_back(Presence{cid});
    auto m = decode_message(encode_message(msg));
    if (cid.bytes().size() <= max_cid_size) {
      EXPECT_TRUE(m) << cid.bytes().size();
    } else {
      ASSERT_FALSE(m);
      EXPECT_EQ(m.error(), errc::cid_too_large);
    }
  }
}

TEST(BitswapMessage, RefusesMissingCids) {
  const Bytes no_block = submessage(1, submessage(1, Bytes{0x10, 0x01}));
  const Bytes empty_block = submessage(1, submessage(1, Bytes{0x0a, 0x00}));
  const Bytes no_presence_cid = submessage(4, Bytes{0x10, 0x01});
  for (const Bytes& wire : {no_block, empty_block, no_presence_cid}) {
    auto m = decode_message(wire);
    ASSERT_FALSE(m) << to_hex(wire);
    EXPECT_EQ(m.error(), errc::missing_cid);
  }
}

TEST(BitswapMessage, RefusesInvalidCids) {
  const mf::Cid cid = v1("i");
  Bytes trailing = cid.bytes();
  trailing.push_back(0);
  Bytes version2 = cid.bytes();
  version2[0] = 2;
  for (const Bytes& bad : {Bytes{0x12, 0x20, 0x01}, trailing, version2, Bytes{0x01}}) {
    for (const Bytes& wire : {submessage(1, submessage(1, submessage(1, bad))),
                              submessage(4, submessage(1, bad))}) {
      auto m = decode_message(wire);
      ASSERT_FALSE(m) << to_hex(wire);
      EXPECT_EQ(m.error(), errc::invalid_cid) << m.error().message();
      // The detail names sizes, never the bytes received.
      EXPECT_EQ(m.error().message().find(to_hex(bad)), std::string::npos);
    }
  }
}

TEST(BitswapMessage, RefusesUnknownEnumValues) {
  const Bytes cid_field = submessage(1, v1("e").bytes());
  Bytes entry = cid_field;
  pw::append_varint_field(entry, 4, 2);
  Bytes presence = cid_field;
  pw::append_varint_field(presence, 2, 7);
  for (const Bytes& wire : {submessage(1, submessage(1, entry)), submessage(4, presence)}) {
    auto m = decode_message(wire);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error(), errc::invalid_enum);
  }
}

// Bitswap 1.0.0 raw blocks are CIDv0 blocks (boxo blocks.NewBlock); they re-encode as payload.
TEST(BitswapMessage, TurnsBitswap100BlocksIntoV0Payload) {
  Bytes wire;
  pw::append_bytes_field(wire, 2, as_bytes("raw block"));
  auto m = decode_message(wire);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->payload.size(), 1u);
  EXPECT_EQ(m->payload[0].prefix, (Bytes{0x00, 0x70, 0x12, 0x20}));
  EXPECT_EQ(to_string(m->payload[0].data), "raw block");
  const Bytes again = encode_message(*m);
  EXPECT_EQ(again[0], 0x1a);  // field 3, length-delimited
  EXPECT_EQ(*decode_message(again), *m);
}

TEST(BitswapMessage, MergesRepeatedWantlists) {
  Message first;
  first.wantlist.push_back(WantEntry{v1("1"), 1});
  first.full = true;
  Message second;
  second.wantlist.push_back(WantEntry{v1("2"), 2});
  Bytes wire = encode_message(first);
  const Bytes more = encode_message(second);
  wire.insert(wire.end(), more.begin(), more.end());
  auto m = decode_message(wire);
  ASSERT_TRUE(m);
  ASSERT_EQ(m->wantlist.size(), 2u);
  EXPECT_EQ(m->wantlist[1].cid, v1("2"));
  EXPECT_TRUE(m->full);  // the second wantlist does not set full, so the first value stays
  Bytes clear = submessage(1, Bytes{0x10, 0x00});
  wire.insert(wire.end(), clear.begin(), clear.end());
  EXPECT_FALSE(decode_message(wire)->full);
}

TEST(BitswapMessage, WireSizesAddUp) {
  const Message m = full_message();
  std::size_t wantlist = 2;  // full
  for (const auto& e : m.wantlist) wantlist += wire_size(e);
  std::size_t total = 1 + pw::varint_size(wantlist) + wantlist;
  for (const auto& b : m.payload) total += wire_size(b);
  for (const auto& p : m.presences) total += wire_size(p);
  total += 1 + pw::varint_size(123456);
  EXPECT_EQ(total, encoded_size(m));
  EXPECT_EQ(total, encode_message(m).size());
}

TEST(BitswapMessage, SplitKeepsEveryPartWithinTheBound) {
  Message m;
  for (int i = 0; i < 40; ++i) m.wantlist.push_back(WantEntry{v1(numbered("w", i)), i + 1});
  for (int i = 0; i < 10; ++i) m.presences.push_back(Presence{v1(numbered("p", i))});
  for (int i = 0; i < 10; ++i) m.payload.push_back(BlockPayload{{1, 0x55, 0x12, 0x20}, Bytes(100, 1)});
  m.full = true;
  m.pending_bytes = 99;
  const auto parts = split_message(m, 400);
  ASSERT_GT(parts.size(), 5u);
  Message joined;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    EXPECT_LE(encoded_size(parts[i]), 400u) << i;
    EXPECT_FALSE(parts[i].empty()) << i;
    EXPECT_EQ(parts[i].full, i == 0);
    EXPECT_EQ(parts[i].pending_bytes, i + 1 == parts.size() ? 99 : 0);
    joined.wantlist.insert(joined.wantlist.end(), parts[i].wantlist.begin(), parts[i].wantlist.end());
    joined.presences.insert(joined.presences.end(), parts[i].presences.begin(), parts[i].presences.end());
    joined.payload.insert(joined.payload.end(), parts[i].payload.begin(), parts[i].payload.end());
  }
  joined.full = true;
  joined.pending_bytes = 99;
  EXPECT_EQ(joined, m);
}

TEST(BitswapMessage, SplitSendsAnOversizedItemAlone) {
  Message m;
  m.wantlist.push_back(WantEntry{v1("a"), 1});
  m.payload.push_back(BlockPayload{{1, 0x55, 0x12, 0x20}, Bytes(1000, 1)});
  m.presences.push_back(Presence{v1("b")});
  const auto parts = split_message(m, 200);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].wantlist.size(), 1u);
  EXPECT_EQ(parts[0].presences.size(), 1u);
  EXPECT_EQ(parts[1].payload.size(), 1u);
  EXPECT_GT(encoded_size(parts[1]), 200u);
}

TEST(BitswapMessage, SplitOfAnEmptyMessageIsOneEmptyMessage) {
  const auto parts = split_message(Message{}, 100);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_TRUE(parts[0].empty());
}

}  // namespace
}  // namespace cf::p2p::bitswap
