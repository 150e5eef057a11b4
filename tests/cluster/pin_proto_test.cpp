// Pin ↔ api.pb.Pin: the golden pin of crdt-dag-and-pinset.md §6.2, every field, protobuf-go's
// proto3 rules as ProtoUnmarshal meets them, and hostile inputs.
#include "cf/cluster/pin_proto.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>

#include "cf/base/protowire.hpp"

namespace cf::cluster {
namespace {

namespace mf = multiformats;

Bytes hex(std::string_view h) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  Bytes out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(nibble(h[i]) * 16 + nibble(h[i + 1])));
  }
  return out;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// A length-delimited field (payloads under 128 bytes).
Bytes field(std::uint8_t tag, const Bytes& payload) {
  return cat({Bytes{tag, static_cast<std::uint8_t>(payload.size())}, payload});
}
Bytes field(std::uint8_t tag, std::string_view text) { return field(tag, Bytes(text.begin(), text.end())); }

mf::Cid cid(std::string_view text) { return *mf::Cid::parse(text); }
mf::PeerId peer(std::string_view text) { return *mf::PeerId::parse(text); }

const mf::Cid sample_cid = cid("QmP63DkAFEnDYNjDYBpyNDfttu1fvUw99x1brscPzpqmmq");
const mf::PeerId sample_peer = peer("QmXZrtE5jQwXNqCJMfHUTQkvhQ4ZAnqMnmzFMJfLewuabc");

// §6.2: the ipfs-cluster dsstate test pin with Timestamp 1700000000, 94 bytes.
const Bytes golden = hex(
    "0a2212200b1d6d95aae1fc9a54ad6eb18d968af23b27c51fb66d8bc21cc999eaef20876810011a221220891b7fa3"
    "052191f91b71a5fa469477bb618d9a97915b71ff243ad8b883dae9db2001320a080110011a04746573743880e2cf"
    "aa06");

Pin golden_pin() {
  Pin pin{sample_cid};
  pin.type = PinType::data;
  pin.allocations = {sample_peer};
  pin.max_depth = -1;
  pin.replication_factor_min = -1;
  pin.replication_factor_max = -1;
  pin.name = "test";
  pin.timestamp = 1700000000;
  return pin;
}

// The golden bytes up to the Options field, for building variants: Cid, Type 1, Allocations.
const Bytes head = cat({field(0x0a, sample_cid.bytes()), hex("1001")});

TEST(PinProto, GoldenPinDecodesAndReencodesByteForByte) {
  ASSERT_EQ(golden.size(), 94u);
  auto pin = pin_from_protobuf(golden);
  ASSERT_TRUE(pin) << pin.error().message();
  EXPECT_EQ(*pin, golden_pin());
  EXPECT_EQ(pin_to_protobuf(*pin), golden);
  EXPECT_EQ(pin_mode_name(pin->max_depth), "recursive");
}

TEST(PinProto, EveryCapturedRestPinRoundTrips) {
  // The pins a real v1.1.6 cluster served (tests/vectors/rest/pin_*.json: sharded, metadata,
  // origins, expiry, pin update, allocations) survive the protobuf both ways.
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(CF_SOURCE_DIR) / "tests/vectors/rest")) {
    const auto name = entry.path().filename().string();
    if (!name.starts_with("pin_")) continue;
    ++files;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto pin = pin_from_json(text.str());
    ASSERT_TRUE(pin) << name;
    const Bytes bytes = pin_to_protobuf(*pin);
    auto back = pin_from_protobuf(bytes);
    ASSERT_TRUE(back) << name << ": " << back.error().message();
    EXPECT_EQ(*back, *pin) << name;
    auto keyed = pin_from_protobuf(bytes, pin->cid);
    ASSERT_TRUE(keyed) << name;
    EXPECT_EQ(*keyed, *pin) << name;
  }
  EXPECT_EQ(files, 12);
}

TEST(PinProto, TheKeysCidWinsOverTheValuesCidField) {
  const mf::Cid key = sample_cid.to_v1();
  auto pin = pin_from_protobuf(golden, key);
  ASSERT_TRUE(pin);
  EXPECT_EQ(pin->cid, key);
  // deserializePin never looks at the value's Cid: absent or malformed, the key decides.
  auto without = pin_from_protobuf(hex("1001"), key);
  ASSERT_TRUE(without) << without.error().message();
  EXPECT_EQ(without->cid, key);
  EXPECT_TRUE(pin_from_protobuf(cat({field(0x0a, hex("020304")), hex("1001")}), key));
}

TEST(PinProto, EveryFieldRoundTrips) {
  Pin pin{cid("bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku")};
  pin.type = PinType::shard;
  pin.max_depth = 1;
  pin.name = "héllo";
  pin.allocations = {sample_peer, peer("12D3KooWEqAP93RVeWkndtBsTTAmUUWvH2mLqLbptA3j1q2DyKKB")};
  pin.replication_factor_min = 2;
  pin.replication_factor_max = 3;
  pin.reference = sample_cid;
  pin.shard_size = 1u << 30;
  pin.origins = {*mf::Multiaddr::parse("/ip4/1.2.3.4/tcp/4001/p2p/12D3KooWEqAP93RVeWkndtBsTTAmUUWvH2mLqLbptA3j1q2DyKKB"),
                 *mf::Multiaddr::parse("/dns4/example.com/udp/4001/quic-v1")};
  pin.metadata = {{"a", "1"}, {"b", ""}, {"", "empty key"}};
  pin.pin_update = sample_cid.to_v1();
  pin.expire_at = 1800000000;
  pin.timestamp = 1700000001;
  const Bytes bytes = pin_to_protobuf(pin);
  auto back = pin_from_protobuf(bytes);
  ASSERT_TRUE(back) << back.error().message();
  EXPECT_EQ(*back, pin);
  EXPECT_EQ(pin_to_protobuf(*back), bytes);
}

TEST(PinProto, OptionsAreAlwaysWrittenAndMetadataOnlyAsTheSortedList) {
  Pin pin{sample_cid};
  pin.max_depth = 0;
  pin.replication_factor_min = 0;
  pin.replication_factor_max = 0;
  // Direct, no options set: Cid, Type, then an empty Options.
  EXPECT_EQ(pin_to_protobuf(pin), cat({head, hex("3200")}));
  pin.metadata = {{"b", "2"}, {"a", "1"}};
  // SortedMetadata (field 10, tag 52) by key; the map (field 6) is never written.
  EXPECT_EQ(pin_to_protobuf(pin), cat({head, hex("3210" "52060a0161120131" "52060a0162120132")}));
}

TEST(PinProto, AbsentFieldsAreProto3Zeros) {
  auto pin = pin_from_protobuf(head);
  ASSERT_TRUE(pin) << pin.error().message();
  EXPECT_EQ(pin->max_depth, 0);  // direct
  EXPECT_EQ(pin_mode_name(pin->max_depth), "direct");
  EXPECT_EQ(pin->replication_factor_min, 0);
  EXPECT_EQ(pin->replication_factor_max, 0);
  EXPECT_TRUE(pin->allocations.empty());
  EXPECT_FALSE(pin->reference);
  EXPECT_FALSE(pin->expire_at);
  EXPECT_EQ(pin->timestamp, 0);
}

TEST(PinProto, TypeIsTheEnumIndex) {
  const std::vector<std::pair<const char*, PinType>> types = {
      {"1001", PinType::data}, {"1002", PinType::meta}, {"1003", PinType::cluster_dag}, {"1004", PinType::shard},
      {"1081808080 10", PinType::data}};  // 2^32 + 1: protobuf-go keeps the low 32 bits
  for (const auto& [type_hex, type] : types) {
    std::string h(type_hex);
    std::erase(h, ' ');
    auto pin = pin_from_protobuf(cat({field(0x0a, sample_cid.bytes()), hex(h)}));
    ASSERT_TRUE(pin) << type_hex;
    EXPECT_EQ(pin->type, type) << type_hex;
    if (h.size() == 4) {
      EXPECT_EQ(pin_to_protobuf(*pin), cat({field(0x0a, sample_cid.bytes()), hex(h), hex("3200")}));
    }
  }
  for (const char* bad : {"", "1000", "1005", "10ffffffff0f"}) {
    auto pin = pin_from_protobuf(cat({field(0x0a, sample_cid.bytes()), hex(bad)}));
    ASSERT_FALSE(pin) << bad;
    EXPECT_EQ(pin.error(), pinset_errc::invalid_pin) << bad;
    EXPECT_NE(pin.error().detail().find("Type"), std::string::npos) << pin.error().detail();
  }
}

TEST(PinProto, DepthAndReplicationAreZigzagAndAtLeastMinusOne) {
  Pin pin{sample_cid};
  pin.max_depth = 5;
  pin.replication_factor_min = -1;
  pin.replication_factor_max = 1;
  EXPECT_EQ(pin_to_protobuf(pin), cat({head, hex("200a" "3204" "08011002")}));
  for (const char* bad : {"2003", "32020803", "32021003"}) {  // MaxDepth -2, RFMin -2, RFMax -2
    auto decoded = pin_from_protobuf(cat({head, hex(bad)}));
    ASSERT_FALSE(decoded) << bad;
    EXPECT_EQ(decoded.error(), pinset_errc::invalid_pin) << bad;
  }
}

TEST(PinProto, MalformedReferenceAndPinUpdateReadAsAbsent) {
  auto pin = pin_from_protobuf(cat({head, field(0x2a, hex("020304")), field(0x32, field(0x3a, hex("1220")))}));
  ASSERT_TRUE(pin) << pin.error().message();
  EXPECT_FALSE(pin->reference);
  EXPECT_FALSE(pin->pin_update);
  pin = pin_from_protobuf(cat({head, field(0x2a, sample_cid.bytes()), field(0x32, field(0x3a, sample_cid.bytes()))}));
  ASSERT_TRUE(pin);
  EXPECT_EQ(pin->reference, sample_cid);
  EXPECT_EQ(pin->pin_update, sample_cid);
}

TEST(PinProto, MetadataIsTheUnionOfMapAndListTheListWinning) {
  const Bytes options = cat({
      field(0x32, cat({field(0x0a, "a"), field(0x12, "map")})),  // map entry a = map
      field(0x32, cat({field(0x0a, "c"), field(0x12, "old")})),  // map entry c = old
      field(0x32, cat({field(0x0a, "c"), field(0x12, "map")})),  // duplicate map key: last wins
      field(0x52, cat({field(0x0a, "a"), field(0x12, "list")})),
      field(0x52, cat({field(0x0a, "b"), field(0x12, "list")})),
  });
  auto pin = pin_from_protobuf(cat({head, field(0x32, options)}));
  ASSERT_TRUE(pin) << pin.error().message();
  EXPECT_EQ(pin->metadata, (std::map<std::string, std::string>{{"a", "list"}, {"b", "list"}, {"c", "map"}}));
}

TEST(PinProto, ARepeatedOptionsMergesAndUnknownFieldsAreSkipped) {
  const Bytes first = cat({hex("0801"), field(0x1a, "x"), field(0x4a, hex("0401020304"))});
  const Bytes second = cat({hex("1004"), hex("2a0101")});  // RFMax 2; field 5 (reserved) skipped
  const Bytes bytes = cat({head, field(0x32, first), hex("2a00" "f80601" "1201ff" "2801"), field(0x32, second)});
  auto pin = pin_from_protobuf(bytes);
  ASSERT_TRUE(pin) << pin.error().message();
  EXPECT_EQ(pin->replication_factor_min, -1);
  EXPECT_EQ(pin->replication_factor_max, 2);
  EXPECT_EQ(pin->name, "x");
  ASSERT_EQ(pin->origins.size(), 1u);
  EXPECT_EQ(pin->origins[0].to_string(), "/ip4/1.2.3.4");
  EXPECT_EQ(pin->type, PinType::data);  // Type as bytes ("1201ff") was skipped
  EXPECT_EQ(pin->max_depth, 0);         // MaxDepth (field 4) never came as a varint
  EXPECT_FALSE(pin->reference);         // an empty Reference, then one as a varint ("2801")
}

TEST(PinProto, OriginsWithUnknownProtocolsAreDroppedMalformedOnesFail) {
  const Bytes onion3 = hex("bd03" "0102030405");  // a protocol we do not implement
  const Bytes ip4 = hex("0401020304");
  auto pin = pin_from_protobuf(cat({head, field(0x32, cat({field(0x4a, onion3), field(0x4a, Bytes{}),
                                                            field(0x4a, ip4)}))}));
  ASSERT_TRUE(pin) << pin.error().message();
  ASSERT_EQ(pin->origins.size(), 1u);
  EXPECT_EQ(pin->origins[0].bytes(), ip4);

  auto bad = pin_from_protobuf(cat({head, field(0x32, cat({field(0x4a, ip4), field(0x4a, hex("040102"))}))}));
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error(), pinset_errc::invalid_pin);
  EXPECT_NE(bad.error().detail().find("Options.Origins[1]"), std::string::npos) << bad.error().detail();
}

TEST(PinProto, ErrorsNameTheFieldNeverTheBytes) {
  const std::vector<std::tuple<const char*, Bytes, const char*>> bad = {
      {"no Cid", hex("1001"), "Cid: missing"},
      {"bad Cid", cat({field(0x0a, hex("02030405")), hex("1001")}), "Cid: not a CID"},
      {"bad allocation", cat({head, field(0x1a, sample_peer.bytes()), field(0x1a, hex("02030405"))}),
       "Allocations[1]"},
      {"Name not UTF-8", cat({head, field(0x32, field(0x1a, hex("c0af")))}), "Options.Name"},
      {"metadata key not UTF-8", cat({head, field(0x32, field(0x52, field(0x0a, hex("ff"))))}),
       "Options.SortedMetadata.Key"},
      {"map value not UTF-8", cat({head, field(0x32, field(0x32, field(0x12, hex("ff"))))}),
       "Options.Metadata.Value"},
      {"Timestamp after 9999", cat({head, hex("3200" "388083d1ffaf07")}), "Timestamp"},
      {"ExpireAt after 9999", cat({head, field(0x32, hex("408083d1ffaf07"))}), "Options.ExpireAt"},
      {"truncated", Bytes(golden.begin(), golden.begin() + 40), "Pin"},
      {"truncated Options", cat({head, hex("3205" "0801")}), "Pin"},
      {"group in Options", cat({head, hex("3202" "0b0c")}), "Options"},
  };
  for (const auto& [name, bytes, where] : bad) {
    auto pin = pin_from_protobuf(bytes);
    ASSERT_FALSE(pin) << name;
    EXPECT_EQ(pin.error(), pinset_errc::invalid_pin) << name;
    EXPECT_NE(pin.error().detail().find(where), std::string::npos) << name << ": " << pin.error().detail();
    EXPECT_EQ(pin.error().detail().find("02030405"), std::string::npos) << pin.error().detail();
  }
}

TEST(PinProto, LargestTimesThatJsonCanPrintAreAccepted) {
  // 253402300799 = 9999-12-31T23:59:59Z.
  auto pin = pin_from_protobuf(cat({head, hex("3200" "38ff82d1ffaf07")}));
  ASSERT_TRUE(pin) << pin.error().message();
  EXPECT_EQ(pin->timestamp, 253402300799);
  EXPECT_EQ(format_go_time(pin->timestamp), "9999-12-31T23:59:59Z");
  auto again = pin_from_json(to_json(*pin));
  ASSERT_TRUE(again) << again.error().message();
  EXPECT_EQ(*again, *pin);
}

TEST(PinProto, EveryTruncationOfTheGoldenPinFailsOrKeepsItsCid) {
  for (std::size_t n = 0; n < golden.size(); ++n) {
    auto pin = pin_from_protobuf(ByteView(golden).first(n));
    if (pin) {
      EXPECT_EQ(pin->cid, sample_cid) << n;
    } else {
      EXPECT_EQ(pin.error(), pinset_errc::invalid_pin) << n;
    }
  }
}

TEST(PinProto, BoundsSizeAndListLengths) {
  Bytes big = head;
  big.resize(max_pin_protobuf_size + 1, 0);
  auto pin = pin_from_protobuf(big);
  ASSERT_FALSE(pin);
  EXPECT_EQ(pin.error(), pinset_errc::too_large);

  Bytes allocations = head;
  for (std::size_t i = 0; i <= max_pin_list_size; ++i) {
    const Bytes one = field(0x1a, sample_peer.bytes());
    allocations.insert(allocations.end(), one.begin(), one.end());
  }
  pin = pin_from_protobuf(allocations);
  ASSERT_FALSE(pin);
  EXPECT_EQ(pin.error(), pinset_errc::too_large);

  Bytes options;
  for (std::size_t i = 0; i <= max_pin_list_size; ++i) {
    const Bytes one = i % 2 ? field(0x32, Bytes{}) : field(0x52, Bytes{});
    options.insert(options.end(), one.begin(), one.end());
  }
  Bytes with_metadata = head;
  with_metadata.push_back(0x32);
  protowire::append_varint(with_metadata, options.size());
  with_metadata.insert(with_metadata.end(), options.begin(), options.end());
  pin = pin_from_protobuf(with_metadata);
  ASSERT_FALSE(pin);
  EXPECT_EQ(pin.error(), pinset_errc::too_large);
}

}  // namespace
}  // namespace cf::cluster
