// Tests for CIDs. Vectors: ipfs/go-cid cid_test.go (TestHexDecode, TestV0Handling,
// TestV0ErrorCases, TestReadCidsFromBuffer, TestBadCidInput, TestBadPrefixFromBytes);
// ipld/specs dag-pb.md and ipld/codec-fixtures dagpb_empty (the empty dag-pb block CIDs),
// all via crdt-dag-and-pinset.md §6.1. See tests/vectors/PROVENANCE.md.
#include "cf/multiformats/cid.hpp"

#include <gtest/gtest.h>

#include <map>
#include <unordered_set>

#include "cf/multiformats/errc.hpp"

namespace cf::multiformats {
namespace {

Bytes unhex(std::string_view hex) { return *multibase::decode_raw(multibase::Base::base16, hex); }

constexpr const char* empty_v0 = "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n";
constexpr const char* empty_v1 = "bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

TEST(Cid, EmptyDagPbBlock) {
  // The zero-length dag-pb block: sha2-256("") as CIDv0 and as CIDv1 dag-pb.
  const auto hash = Multihash::sha2_256({});
  auto v0 = Cid::v0(hash);
  ASSERT_TRUE(v0);
  EXPECT_EQ(v0->to_string(), empty_v0);
  EXPECT_EQ(v0->version(), 0);
  EXPECT_EQ(v0->codec(), multicodec::dag_pb);
  EXPECT_EQ(Cid::v1(multicodec::dag_pb, hash).to_string(), empty_v1);
  EXPECT_EQ(v0->to_v1().to_string(), empty_v1);
}

TEST(Cid, V0Handling) {
  auto c = Cid::parse(empty_v0);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->version(), 0);
  EXPECT_EQ(c->to_string(), empty_v0);
  EXPECT_EQ(c->hash().to_base58(), empty_v0);
  EXPECT_EQ(c->bytes().size(), 34u);
  EXPECT_EQ(*Cid::from_bytes(c->bytes()), *c);
}

TEST(Cid, V1Parse) {
  auto c = Cid::parse(empty_v1);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->version(), 1);
  EXPECT_EQ(c->codec(), multicodec::dag_pb);
  EXPECT_EQ(to_hex(c->bytes()),
            "01701220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(c->to_string(), empty_v1);
  // v0 and v1 of the same hash are different CIDs.
  EXPECT_NE(*c, *Cid::parse(empty_v0));
}

TEST(Cid, HexDecode) {
  // go-cid TestHexDecode (the base58 form is the older ExampleDecode output).
  auto c = Cid::parse("f015512209d8453505bdc6f269678e16b3e56c2a2948a41f2c792617cc9611ed363c95b63");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->codec(), multicodec::raw);
  EXPECT_EQ(c->to_string(), "bafkreie5qrjvaw64n4tjm6hbnm7fnqvcssfed4whsjqxzslbd3jwhsk3mm");
  EXPECT_EQ(c->to_string(multibase::Base::base58btc),
            "zb2rhhFAEMepUBbGyP1k8tGfz7BSciKXP6GHuUeUsJBaK6cqG");
  EXPECT_EQ(*Cid::parse("zb2rhhFAEMepUBbGyP1k8tGfz7BSciKXP6GHuUeUsJBaK6cqG"), *c);
}

TEST(Cid, ReadCidsFromBuffer) {
  // go-cid TestReadCidsFromBuffer, minus the base36 ('k') entry we do not decode.
  const std::vector<std::string> texts{
      "bafkreie5qrjvaw64n4tjm6hbnm7fnqvcssfed4whsjqxzslbd3jwhsk3mm",
      "Qmf5Qzp6nGBku7CEn2UQx4mgN8TW69YUok36DrGa6NN893",
      "zb2rhZi1JR4eNc2jBGaRYJKYM8JEB4ovenym8L1CmFsRAytkz",
      "bafkqarjpmzuwyzltorxxezjpkvcfgqkfjfbfcvslivje2vchkzdu6rckjjcfgtkolaze6mssjqzeyn2ekrcfatkjku2"
      "vowseky3fswkfkm2deqkrju3e2",
  };
  std::vector<Cid> cids;
  Bytes buffer;
  for (const auto& t : texts) {
    auto c = Cid::parse(t);
    ASSERT_TRUE(c) << t << ": " << c.error().message();
    cids.push_back(*c);
    buffer.insert(buffer.end(), c->bytes().begin(), c->bytes().end());
  }
  EXPECT_EQ(cids[3].hash().code(), multicodec::identity);  // the bafkq… identity CID
  std::size_t offset = 0;
  for (const auto& expected : cids) {
    std::size_t consumed = 0;
    auto c = Cid::read(ByteView(buffer).subspan(offset), consumed);
    ASSERT_TRUE(c);
    EXPECT_EQ(*c, expected);
    offset += consumed;
  }
  EXPECT_EQ(offset, buffer.size());
}

TEST(Cid, RejectsBadText) {
  EXPECT_EQ(Cid::parse("").error(), errc::invalid_cid);
  // go-cid TestV0ErrorCases: 'I' is not base58.
  EXPECT_EQ(Cid::parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zIII").error(),
            errc::invalid_encoding);
  // A 45-character "Qm…" string is not a v0 and 'Q' is no multibase prefix.
  EXPECT_EQ(Cid::parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1").error(),
            errc::unknown_base);
  auto r = Cid::parse("bafyX");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("bafyX"), std::string::npos) << r.error().message();
}

TEST(Cid, RejectsBadBytes) {
  // go-cid TestBadCidInput: a v0 header with too few bytes.
  EXPECT_EQ(Cid::from_bytes(Bytes{0x12, 32, 0x00}).error(), errc::truncated);
  auto good = Cid::parse("bafkreie5qrjvaw64n4tjm6hbnm7fnqvcssfed4whsjqxzslbd3jwhsk3mm");
  ASSERT_TRUE(good);
  Bytes bad_codec = good->bytes();
  bad_codec[1] = 0x80;
  bad_codec[2] = 0x00;
  EXPECT_EQ(Cid::from_bytes(bad_codec).error(), errc::varint_not_minimal);
  Bytes bad_hash = good->bytes();
  bad_hash[2] = 0x80;
  bad_hash[3] = 0x00;
  EXPECT_EQ(Cid::from_bytes(bad_hash).error(), errc::varint_not_minimal);
  // go-cid TestBadPrefixFromBytes.
  EXPECT_EQ(Cid::from_bytes(Bytes{0x80}).error(), errc::truncated);
  EXPECT_EQ(Cid::from_bytes(Bytes{0x01, 0x80}).error(), errc::truncated);
  // Version 2, version 0 in v1 layout, a truncated digest and trailing bytes.
  EXPECT_EQ(Cid::from_bytes(unhex("0270122000")).error(), errc::invalid_cid);
  EXPECT_EQ(Cid::from_bytes(unhex("00701200")).error(), errc::invalid_cid);
  EXPECT_EQ(Cid::from_bytes(unhex("01701220e3b0")).error(), errc::truncated);
  Bytes trailing = good->bytes();
  trailing.push_back(0);
  EXPECT_EQ(Cid::from_bytes(trailing).error(), errc::invalid_cid);
  // v0 needs sha2-256/32.
  EXPECT_EQ(Cid::v0(Multihash::identity(as_bytes("x"))).error(), errc::invalid_cid);
}

TEST(Cid, IsARegularValue) {
  const auto a = *Cid::parse(empty_v0);
  const auto b = *Cid::parse(empty_v1);
  std::map<Cid, int> ordered{{a, 0}, {b, 1}};
  EXPECT_EQ(ordered.size(), 2u);
  std::unordered_set<Cid> hashed{a, b, a};
  EXPECT_EQ(hashed.size(), 2u);
  Cid copy = a;
  EXPECT_EQ(copy, a);
  EXPECT_TRUE(b < a);  // binary order: v1 starts 01, v0 starts 12
}

}  // namespace
}  // namespace cf::multiformats
