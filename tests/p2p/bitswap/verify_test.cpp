// Block verification: CID prefixes and rebuilding CIDs from data, for CIDv0 and CIDv1 with
// sha2-256, sha2-512, blake2b-256 and identity. Digests are the standard FIPS 180 / RFC 7693
// "abc" vectors and well-known IPFS CIDs (the empty UnixFS directory, "hello world" raw).
#include "cf/p2p/bitswap/verify.hpp"

#include <gtest/gtest.h>

#include "cf/multiformats/multicodec.hpp"
#include "cf/p2p/bitswap/errc.hpp"

namespace cf::p2p::bitswap {
namespace {

namespace mf = cf::multiformats;

Bytes prefix(std::initializer_list<std::uint8_t> bytes) { return Bytes(bytes); }

const Bytes empty_dir{0x0a, 0x02, 0x08, 0x01};  // the empty UnixFS directory node

TEST(BitswapVerify, PrefixOfCrdtNodesIs01701220) {
  const mf::Cid cid = mf::Cid::v1(mf::multicodec::dag_pb, mf::Multihash::sha2_256(empty_dir));
  EXPECT_EQ(cid_prefix(cid), prefix({0x01, 0x70, 0x12, 0x20}));
  const auto v0 = *mf::Cid::parse("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn");
  EXPECT_EQ(cid_prefix(v0), prefix({0x00, 0x70, 0x12, 0x20}));
  const mf::Cid wide = mf::Cid::v1(0x0129, mf::Multihash::create(hash_code::blake2b_256, Bytes(32, 1)));
  EXPECT_EQ(cid_prefix(wide), prefix({0x01, 0xa9, 0x02, 0xa0, 0xe4, 0x02, 0x20}));
}

TEST(BitswapVerify, ParsesPrefixes) {
  auto p = parse_prefix(prefix({0x01, 0xa9, 0x02, 0xa0, 0xe4, 0x02, 0x20}));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->version, 1u);
  EXPECT_EQ(p->codec, 0x0129u);
  EXPECT_EQ(p->hash_code, hash_code::blake2b_256);
  EXPECT_EQ(p->digest_length, 32u);
}

TEST(BitswapVerify, RebuildsCidV0) {
  auto cid = verify_block(prefix({0x00, 0x70, 0x12, 0x20}), empty_dir);
  ASSERT_TRUE(cid) << cid.error().message();
  EXPECT_EQ(cid->version(), 0);
  EXPECT_EQ(cid->to_string(), "QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn");
  EXPECT_TRUE(verify_block(*cid, empty_dir));
}

TEST(BitswapVerify, RebuildsCidV1Sha256) {
  auto cid = verify_block(prefix({0x01, 0x70, 0x12, 0x20}), empty_dir);
  ASSERT_TRUE(cid);
  EXPECT_EQ(cid->to_string(), "bafybeiczsscdsbs7ffqz55asqdf3smv6klcw3gofszvwlyarci47bgf354");
  auto raw = verify_block(prefix({0x01, 0x55, 0x12, 0x20}), as_bytes("hello world"));
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->to_string(), "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
  EXPECT_TRUE(verify_block(*raw, as_bytes("hello world")));
}

TEST(BitswapVerify, RebuildsSha512) {
  auto cid = verify_block(prefix({0x01, 0x55, 0x13, 0x40}), as_bytes("abc"));
  ASSERT_TRUE(cid) << cid.error().message();
  EXPECT_EQ(to_hex(cid->hash().digest()),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(cid->hash().code(), hash_code::sha2_512);
  EXPECT_TRUE(verify_block(*cid, as_bytes("abc")));
}

TEST(BitswapVerify, RebuildsBlake2b256) {
  auto cid = verify_block(prefix({0x01, 0x71, 0xa0, 0xe4, 0x02, 0x20}), as_bytes("abc"));
  ASSERT_TRUE(cid) << cid.error().message();
  EXPECT_EQ(to_hex(cid->hash().digest()),
            "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
  EXPECT_EQ(cid->codec(), mf::multicodec::dag_cbor);
  EXPECT_TRUE(verify_block(*cid, as_bytes("abc")));
}

TEST(BitswapVerify, IdentityDigestIsTheData) {
  // go-cid ignores the identity prefix's length field.
  auto cid = verify_block(prefix({0x01, 0x55, 0x00, 0x00}), as_bytes("inline"));
  ASSERT_TRUE(cid);
  EXPECT_EQ(to_string(cid->hash().digest()), "inline");
  EXPECT_TRUE(verify_block(*cid, as_bytes("inline")));
  auto mismatch = verify_block(*cid, as_bytes("other"));
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error(), errc::hash_mismatch);
}

TEST(BitswapVerify, TruncatedDigestsDownToTwentyBytes) {
  auto cid = verify_block(prefix({0x01, 0x55, 0x12, 0x14}), as_bytes("hello world"));
  ASSERT_TRUE(cid);
  EXPECT_EQ(to_hex(cid->hash().digest()), "b94d27b9934d3e08a52e52d7da7dabfac484efe3");
  EXPECT_TRUE(verify_block(*cid, as_bytes("hello world")));
  for (std::uint8_t length : {0x00, 0x13, 0x21}) {
    auto bad = verify_block(prefix({0x01, 0x55, 0x12, length}), as_bytes("x"));
    ASSERT_FALSE(bad) << int{length};
    EXPECT_EQ(bad.error(), errc::invalid_digest_length);
  }
}

TEST(BitswapVerify, WrongDataIsAMismatch) {
  const mf::Cid cid = *verify_block(prefix({0x01, 0x70, 0x12, 0x20}), empty_dir);
  for (const Bytes& data : {Bytes{}, Bytes{0x0a, 0x02, 0x08, 0x02}, Bytes{0x0a, 0x02, 0x08}}) {
    auto status = verify_block(cid, data);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error(), errc::hash_mismatch);
  }
  const auto v0 = *mf::Cid::parse("QmUNLLsPACCz1vLxQVkXqqLX5R1X345qqfHbsf67hvA3Nn");
  EXPECT_EQ(verify_block(v0, as_bytes("not it")).error(), errc::hash_mismatch);
}

TEST(BitswapVerify, UnsupportedHashNamesTheCode) {
  // md5 (0xd5), sha3-256 (0x16), blake3 (0x1e).
  for (const Bytes& p : {prefix({0x01, 0x55, 0xd5, 0x01, 0x10}), prefix({0x01, 0x55, 0x16, 0x20}),
                         prefix({0x01, 0x55, 0x1e, 0x20})}) {
    auto cid = verify_block(p, as_bytes("data"));
    ASSERT_FALSE(cid) << to_hex(p);
    EXPECT_EQ(cid.error(), errc::unsupported_hash);
  }
  auto md5 = verify_block(prefix({0x01, 0x55, 0xd5, 0x01, 0x10}), as_bytes("data"));
  EXPECT_NE(md5.error().message().find("0xd5"), std::string::npos) << md5.error().message();
  const mf::Cid sha3 = mf::Cid::v1(mf::multicodec::raw, mf::Multihash::create(0x16, Bytes(32, 0)));
  EXPECT_EQ(verify_block(sha3, as_bytes("x")).error(), errc::unsupported_hash);
  EXPECT_EQ(check_hash(0x16, 32).error(), errc::unsupported_hash);
  EXPECT_TRUE(check_hash(hash_code::sha2_256, 32));
  EXPECT_TRUE(check_hash(hash_code::identity, 0));
}

TEST(BitswapVerify, RefusesBadPrefixes) {
  const std::vector<Bytes> bad{
      {},                                // empty
      {0x01, 0x70, 0x12},                // three varints
      {0x01, 0x70, 0x12, 0x20, 0x00},    // trailing byte
      {0x01, 0xf0, 0x00, 0x12, 0x20},    // non-minimal codec varint
      {0x02, 0x70, 0x12, 0x20},          // version 2
      {0x00, 0x55, 0x12, 0x20},          // v0 must be dag-pb
      {0x00, 0x70, 0x13, 0x40},          // v0 must be sha2-256
      {0x00, 0x70, 0x12, 0x14},          // v0 must be 32 bytes
      {0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0x12, 0x20},  // overflow
  };
  for (const auto& p : bad) {
    auto cid = verify_block(p, empty_dir);
    ASSERT_FALSE(cid) << to_hex(p);
    EXPECT_EQ(cid.error(), errc::invalid_prefix) << to_hex(p);
  }
}

}  // namespace
}  // namespace cf::p2p::bitswap
