// Tests for multibase. Vectors: multiformats/multibase tests/basic.csv, leading_zero.csv,
// two_leading_zeros.csv and case_insensitivity.csv. See tests/vectors/PROVENANCE.md.
#include "cf/multiformats/multibase.hpp"

#include <gtest/gtest.h>

#include "cf/multiformats/errc.hpp"

namespace cf::multiformats::multibase {
namespace {

struct Case {
  Base base;
  const char* text;
};

void expect_round_trip(std::string_view plain, const std::vector<Case>& cases) {
  const ByteView bytes = as_bytes(plain);
  for (const auto& c : cases) {
    EXPECT_EQ(encode(c.base, bytes), c.text);
    auto decoded = decode(c.text);
    ASSERT_TRUE(decoded) << c.text << ": " << decoded.error().message();
    EXPECT_EQ(to_string(*decoded), plain) << c.text;
    EXPECT_EQ(*base_of(c.text), c.base);
  }
}

TEST(Multibase, BasicCsv) {
  expect_round_trip("yes mani !", {
                                      {Base::base16, "f796573206d616e692021"},
                                      {Base::base16_upper, "F796573206D616E692021"},
                                      {Base::base32, "bpfsxgidnmfxgsibb"},
                                      {Base::base32_upper, "BPFSXGIDNMFXGSIBB"},
                                      {Base::base58btc, "z7paNL19xttacUY"},
                                      {Base::base64, "meWVzIG1hbmkgIQ"},
                                      {Base::base64_pad, "MeWVzIG1hbmkgIQ=="},
                                      {Base::base64_url, "ueWVzIG1hbmkgIQ"},
                                      {Base::base64_url_pad, "UeWVzIG1hbmkgIQ=="},
                                  });
}

TEST(Multibase, LeadingZeroCsv) {
  expect_round_trip(std::string_view("\0yes mani !", 11),
                    {
                        {Base::base16, "f00796573206d616e692021"},
                        {Base::base32, "bab4wk4zanvqw42jaee"},
                        {Base::base32_upper, "BAB4WK4ZANVQW42JAEE"},
                        {Base::base58btc, "z17paNL19xttacUY"},
                        {Base::base64, "mAHllcyBtYW5pICE"},
                        {Base::base64_pad, "MAHllcyBtYW5pICE="},
                        {Base::base64_url, "uAHllcyBtYW5pICE"},
                        {Base::base64_url_pad, "UAHllcyBtYW5pICE="},
                    });
}

TEST(Multibase, TwoLeadingZerosCsv) {
  expect_round_trip(std::string_view("\0\0yes mani !", 12),
                    {
                        {Base::base16, "f0000796573206d616e692021"},
                        {Base::base32, "baaahszltebwwc3tjeaqq"},
                        {Base::base58btc, "z117paNL19xttacUY"},
                        {Base::base64, "mAAB5ZXMgbWFuaSAh"},
                        {Base::base64_pad, "MAAB5ZXMgbWFuaSAh"},
                    });
}

TEST(Multibase, CaseInsensitivityCsv) {
  // The file's header says "yes mani !" but every row encodes "hello world".
  for (const char* text : {"f68656c6c6f20776F726C64", "F68656c6c6f20776F726C64",
                           "bnbswy3dpeB3W64TMMQ", "Bnbswy3dpeB3W64TMMQ"}) {
    auto decoded = decode(text);
    ASSERT_TRUE(decoded) << text;
    EXPECT_EQ(to_string(*decoded), "hello world") << text;
  }
}

TEST(Multibase, EmptyInput) {
  EXPECT_EQ(encode(Base::base58btc, {}), "z");
  EXPECT_TRUE(decode("z")->empty());
  EXPECT_TRUE(decode("b")->empty());
  EXPECT_TRUE(decode("M")->empty());
}

TEST(Multibase, RawFormsHaveNoPrefix) {
  // Datastore keys: upper-case base32, no padding, no prefix (boxo dshelp).
  EXPECT_EQ(encode_raw(Base::base32_upper, as_bytes("yes mani !")), "PFSXGIDNMFXGSIBB");
  EXPECT_EQ(to_string(*decode_raw(Base::base32_upper, "PFSXGIDNMFXGSIBB")), "yes mani !");
  EXPECT_EQ(encode_raw(Base::base64_pad, as_bytes("yes mani !")), "eWVzIG1hbmkgIQ==");
}

TEST(Multibase, RejectsUnknownPrefixes) {
  EXPECT_EQ(decode("").error(), errc::unknown_base);
  EXPECT_EQ(decode("Qmfoo").error(), errc::unknown_base);
  // base36 and base32hex are valid multibases we do not support.
  EXPECT_EQ(decode("k2lcpzo5yikidynfl").error(), errc::unknown_base);
  EXPECT_EQ(decode("vf5in683dc5n6i811").error(), errc::unknown_base);
}

TEST(Multibase, RejectsBadText) {
  EXPECT_EQ(decode("z0OIl").error(), errc::invalid_encoding);       // not in base58btc
  EXPECT_EQ(decode("bpfsxgidnmfxgsib1").error(), errc::invalid_encoding);  // '1' not base32
  EXPECT_EQ(decode("bpfsxgidnmfxgsibb=").error(), errc::invalid_encoding);  // no padding in b
  EXPECT_EQ(decode("ba").error(), errc::invalid_encoding);                  // impossible length
  EXPECT_EQ(decode("f123").error(), errc::invalid_encoding);                // odd hex
  EXPECT_EQ(decode("fzz").error(), errc::invalid_encoding);
  EXPECT_EQ(decode("MeWVzIG1hbmkgIQ").error(), errc::invalid_encoding);     // padding missing
  EXPECT_EQ(decode("MeWVz=G1hbmkgIQ=").error(), errc::invalid_encoding);    // '=' inside
  EXPECT_EQ(decode("meWVzIG1hbmkgIQ==").error(), errc::invalid_encoding);   // padding in m
  EXPECT_EQ(decode("meWVzI").error(), errc::invalid_encoding);  // 5 characters: impossible
  EXPECT_EQ(decode("ueWVzIG1hbmkgI+").error(), errc::invalid_encoding);     // '+' not url
  EXPECT_EQ(decode("meWVzI_").error(), errc::invalid_encoding);             // '_' not std
  auto long_b58 = std::string(max_base58_text + 1, '2');
  EXPECT_EQ(decode_raw(Base::base58btc, long_b58).error(), errc::invalid_encoding);
}

TEST(Multibase, ErrorDetailNamesTheCharacter) {
  auto r = decode("z7paNL19xttac0Y");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find("'0'"), std::string::npos) << r.error().message();
}

}  // namespace
}  // namespace cf::multiformats::multibase
