// The "cf.p2p.bitswap" error category.
#include "cf/p2p/bitswap/errc.hpp"

#include <gtest/gtest.h>

#include "cf/base/result.hpp"

namespace cf::p2p::bitswap {
namespace {

TEST(BitswapErrc, CategoryNamesAndMessages) {
  const std::error_code ec = errc::hash_mismatch;
  EXPECT_STREQ(ec.category().name(), "cf.p2p.bitswap");
  EXPECT_EQ(ec.message(), "block data does not match its CID");
  for (int v = static_cast<int>(errc::malformed); v <= static_cast<int>(errc::bad_block); ++v) {
    EXPECT_NE(make_error_code(static_cast<errc>(v)).message(), "unknown bitswap error") << v;
  }
  EXPECT_EQ(make_error_code(static_cast<errc>(999)).message(), "unknown bitswap error");
}

TEST(BitswapErrc, ErrorsCompareByCode) {
  const Error e(errc::unsupported_hash, "multihash function 0x16 is not supported");
  EXPECT_EQ(e, errc::unsupported_hash);
  EXPECT_NE(e, errc::invalid_prefix);
}

}  // namespace
}  // namespace cf::p2p::bitswap
