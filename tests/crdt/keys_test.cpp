// dshelp keys: element ids (multihash) and pin keys (full CID), crdt-dag-and-pinset.md §3.1,
// §4.1; boxo datastore/dshelp/key_test.go round trip of QmP63Dk….
#include "cf/crdt/keys.hpp"

#include <gtest/gtest.h>

#include <cctype>

#include "cf/crdt/errc.hpp"
#include "cf/multiformats/multibase.hpp"
#include "cf/multiformats/multicodec.hpp"
#include "golden.hpp"

namespace cf::crdt {
namespace {

namespace mf = multiformats;

// "/" + body, appended: g++ 12 at -O3 warns falsely (-Wrestrict) on `"/" + std::string`.
std::string slash(const std::string& body) {
  std::string key = "/";
  key += body;
  return key;
}

const mf::Cid sample_v0 = *mf::Cid::parse(golden::pin_cid);

TEST(CrdtKeys, PinKeyIsBase32OfTheFullCidSoV0AndV1Differ) {
  EXPECT_EQ(pin_key(sample_v0), golden::pin_key);
  const mf::Cid v1 = sample_v0.to_v1();
  EXPECT_EQ(v1.to_string(), "bafybeialdvwzlkxb7snfjllowggzncxshmt4kh5wnwf4ehgjthvo6iehna");
  EXPECT_EQ(pin_key(v1), "/AFYBEIALDVWZLKXB7SNFJLLOWGGZNCXSHMT4KH5WNWF4EHGJTHVO6IEHNA");

  auto back_v0 = pin_cid_from_key(golden::pin_key);
  ASSERT_TRUE(back_v0) << back_v0.error().message();
  EXPECT_EQ(*back_v0, sample_v0);
  auto back_v1 = pin_cid_from_key("/AFYBEIALDVWZLKXB7SNFJLLOWGGZNCXSHMT4KH5WNWF4EHGJTHVO6IEHNA");
  ASSERT_TRUE(back_v1);
  EXPECT_EQ(*back_v1, v1);
}

TEST(CrdtKeys, ElementIdIsBase32OfTheMultihashSameForV0AndV1) {
  // dshelp key_test.go: MultihashToDsKey then DsKeyToCidV1 gives the CIDv1 of the same hash.
  const std::string id = element_id(sample_v0.hash());
  EXPECT_EQ(id, golden::pin_key);  // a CIDv0's bytes are its multihash
  EXPECT_EQ(element_id(sample_v0.to_v1().hash()), id);
  auto hash = parse_element_id(id);
  ASSERT_TRUE(hash);
  EXPECT_EQ(*hash, sample_v0.hash());
  EXPECT_EQ(mf::Cid::v1(mf::multicodec::dag_pb, *hash), sample_v0.to_v1());
  EXPECT_EQ(id.size(), 56u);  // "/" + 55 characters for a 34-byte sha2-256 multihash
}

TEST(CrdtKeys, OnlyTheCanonicalTextParses) {
  const std::string good(golden::pin_key);
  std::string lower = good;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string trailing_bits = good;
  trailing_bits.back() = 'B';  // 55 characters carry 3 unused bits; Go would ignore them
  const std::vector<std::pair<const char*, std::string>> bad = {
      {"empty", ""},
      {"slash only", "/"},
      {"no slash", good.substr(1)},
      {"lower-case", lower},
      {"non-zero trailing bits", trailing_bits},
      {"padding", good + "="},
      {"impossible length", good.substr(0, good.size() - 1)},
      {"a second path segment", good + "/X"},
      {"character outside the alphabet", "/CIQ1"},
      {"too long", slash(std::string(max_key_text, 'A'))},
  };
  for (const auto& [name, text] : bad) {
    auto cid = pin_cid_from_key(text);
    ASSERT_FALSE(cid) << name;
    EXPECT_EQ(cid.error(), errc::invalid_key) << name;
    auto hash = parse_element_id(text);
    ASSERT_FALSE(hash) << name;
    EXPECT_EQ(hash.error(), errc::invalid_key) << name;
  }
}

TEST(CrdtKeys, TheBytesMustBeExactlyOneCidOrMultihash) {
  // A CIDv0 with one trailing byte, and a multihash whose length byte promises more.
  const Bytes v0 = sample_v0.bytes();
  Bytes longer = v0;
  longer.push_back(0);
  const std::string trailing = slash(mf::multibase::encode_raw(mf::multibase::Base::base32_upper, longer));
  auto cid = pin_cid_from_key(trailing);
  ASSERT_FALSE(cid);
  EXPECT_EQ(cid.error(), errc::invalid_key);
  EXPECT_EQ(cid.error().detail().find(trailing.substr(1, 20)), std::string::npos) << cid.error().detail();
  EXPECT_FALSE(parse_element_id(trailing));

  const Bytes short_hash{0x12, 0x20, 0x01};
  EXPECT_FALSE(parse_element_id(slash(mf::multibase::encode_raw(mf::multibase::Base::base32_upper, short_hash))));
}

}  // namespace
}  // namespace cf::crdt
