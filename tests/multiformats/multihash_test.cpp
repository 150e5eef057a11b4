// Tests for multihash. Vectors: multiformats/go-multihash multihash_test.go testCases and
// ExampleEncodeName; sha2-256("") from FIPS 180-2 (the empty dag-pb block of
// crdt-dag-and-pinset.md §6.1). See tests/vectors/PROVENANCE.md.
#include "cf/multiformats/multihash.hpp"

#include <gtest/gtest.h>

#include <unordered_set>

#include "cf/multiformats/errc.hpp"
#include "cf/multiformats/multibase.hpp"
#include "cf/multiformats/multicodec.hpp"
#include "cf/multiformats/varint.hpp"

namespace cf::multiformats {
namespace {

Bytes unhex(std::string_view hex) { return *multibase::decode_raw(multibase::Base::base16, hex); }

TEST(Multihash, GoMultihashTestCases) {
  struct Case {
    const char* digest;
    std::uint64_t code;
  };
  for (const auto& c : std::vector<Case>{
           {"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", 0x00},
           {"", 0x00},
           {"0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33", 0x11},
           {"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", 0x12},
           {"2c26b46b", 0x12},
           {"2c26b46b68ffc68ff99b453c1d30413413", 0xb240},
           {"243ddb9e", 0x22},
       }) {
    const Bytes digest = unhex(c.digest);
    Bytes encoded = encode_uvarint(c.code);
    append_uvarint(encoded, digest.size());
    encoded.insert(encoded.end(), digest.begin(), digest.end());
    auto m = Multihash::from_bytes(encoded);
    ASSERT_TRUE(m) << c.digest << ": " << m.error().message();
    EXPECT_EQ(m->code(), c.code);
    EXPECT_EQ(to_hex(m->digest()), c.digest);
    EXPECT_EQ(m->bytes(), encoded);
    EXPECT_EQ(Multihash::create(c.code, digest), *m);
  }
}

TEST(Multihash, ExampleEncodeName) {
  const auto m = Multihash::create(0x11, unhex("0beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33"));
  EXPECT_EQ(to_hex(m.bytes()), "11140beec7b5ea3f0fdbc95d0dd47f3c5bc275da8a33");
}

TEST(Multihash, Sha256OfTheEmptyBlock) {
  const auto m = Multihash::sha2_256({});
  EXPECT_EQ(m.code(), multicodec::sha2_256);
  EXPECT_EQ(to_hex(m.bytes()),
            "1220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(m.to_base58(), "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n");
}

TEST(Multihash, Identity) {
  const auto m = Multihash::identity(as_bytes("abc"));
  EXPECT_EQ(to_hex(m.bytes()), "0003616263");
  EXPECT_EQ(m.code(), multicodec::identity);
}

TEST(Multihash, ReadReportsConsumedBytes) {
  const Bytes b = unhex("0003616263ffff");
  std::size_t consumed = 0;
  auto m = Multihash::read(b, consumed);
  ASSERT_TRUE(m);
  EXPECT_EQ(consumed, 5u);
  EXPECT_EQ(Multihash::from_bytes(b).error(), errc::invalid_multihash);  // trailing bytes
}

TEST(Multihash, RejectsBadInput) {
  EXPECT_EQ(Multihash::from_bytes(unhex("1220e3b0")).error(), errc::truncated);
  EXPECT_EQ(Multihash::from_bytes(unhex("12")).error(), errc::truncated);
  EXPECT_EQ(Multihash::from_bytes({}).error(), errc::truncated);
  EXPECT_EQ(Multihash::from_bytes(unhex("8100")).error(), errc::varint_not_minimal);
  // go-multihash TestCast: a bare digest is not a multihash.
  EXPECT_FALSE(Multihash::from_bytes(
      unhex("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae")));
}

TEST(Multihash, IsARegularValue) {
  const auto a = Multihash::sha2_256(as_bytes("a"));
  const auto b = Multihash::sha2_256(as_bytes("b"));
  EXPECT_NE(a, b);
  EXPECT_TRUE(a < b || b < a);
  std::unordered_set<Multihash> set{a, b, a};
  EXPECT_EQ(set.size(), 2u);
}

}  // namespace
}  // namespace cf::multiformats
