// Tests for identity.json. Vectors: ipfs-cluster/ipfs-cluster-website static/0.14.2_identity.json
// (copied byte for byte to tests/vectors/, see PROVENANCE.md) and the libp2p/specs peer-ids.md
// ED25519 key.
#include "cf/identity/identity.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "cf/base/errc.hpp"
#include "cf/identity/errc.hpp"
#include "cf/identity/keys.hpp"
#include "cf/multiformats/multibase.hpp"

namespace cf::identity {
namespace {

namespace fs = std::filesystem;
namespace mb = cf::multiformats::multibase;

constexpr const char* upstream_id = "12D3KooW9rxqumy8vqCxnNfpeyT7zHGae6srENFW2gip8LMw3TsX";
constexpr const char* upstream_key =
    "CAESQOiMLK8uiahB76IOToUUo/wMGzUvgysRxTOJuQ13cUUsAKpefDuWaKJ8l+Y2ZMk5eE/iHVjBnL+8nKaWnfkaFIo=";
// libp2p/specs peer-ids.md ED25519 private key, as identity.json would hold it.
constexpr const char* spec_id = "12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq";
constexpr const char* spec_private_hex =
    "080112407e0830617c4a7de83925dfb2694556b12936c477a0e1feb2e148ec9da60fee7d1ed1e8fae2c4a144b8be"
    "8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

std::string spec_key_base64() {
  return mb::encode_raw(mb::Base::base64_pad, *mb::decode_raw(mb::Base::base16, spec_private_hex));
}

std::string identity_json(std::string_view id, std::string_view key) {
  return "{\n    \"id\": \"" + std::string(id) + "\",\n    \"private_key\": \"" +
         std::string(key) + "\"\n}";
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

EnvLookup env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "cf-identity-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST(Identity, UpstreamFileLoadsAndRoundTripsByteForByte) {
  const fs::path vector = fs::path(CF_TEST_VECTORS_DIR) / "0.14.2_identity.json";
  auto identity = Identity::load_file(vector);
  ASSERT_TRUE(identity) << identity.error().message();
  EXPECT_EQ(identity->id().to_string(), upstream_id);
  EXPECT_EQ(identity->private_key_base64(), upstream_key);
  const std::string original = read_all(vector);
  ASSERT_EQ(original.size(), 183u);  // no trailing newline
  EXPECT_EQ(identity->to_json(), original);
}

TEST(Identity, SpecKeyInIdentityJson) {
  auto identity = Identity::from_json(identity_json(spec_id, spec_key_base64()));
  ASSERT_TRUE(identity) << identity.error().message();
  EXPECT_EQ(identity->id().to_string(), spec_id);
  EXPECT_TRUE(spec_key_base64().starts_with("CAESQ"));
  EXPECT_EQ(spec_key_base64().size(), 92u);
  EXPECT_EQ(identity->to_json(), identity_json(spec_id, spec_key_base64()));
}

TEST(Identity, GeneratedIdentitiesAreEd25519) {
  const auto a = Identity::generate();
  const auto b = Identity::generate();
  EXPECT_NE(a.id(), b.id());
  EXPECT_TRUE(a.id().to_string().starts_with("12D3KooW"));
  EXPECT_TRUE(a.private_key_base64().starts_with("CAESQ"));
  auto again = Identity::from_json(a.to_json());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id(), a.id());
  EXPECT_EQ(again->to_json(), a.to_json());
}

TEST(Identity, MismatchedIdAndKeyShowBothIds) {
  auto r = Identity::from_json(identity_json(spec_id, upstream_key));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::id_mismatch);
  const std::string& m = r.error().message();
  EXPECT_NE(m.find("id does not match private_key"), std::string::npos) << m;
  EXPECT_NE(m.find(spec_id), std::string::npos) << m;
  EXPECT_NE(m.find(upstream_id), std::string::npos) << m;
}

TEST(Identity, RejectsBadContent) {
  EXPECT_EQ(Identity::from_json(identity_json(upstream_id, "CAESQOiM!!")).error(),
            errc::invalid_base64);
  // Unpadded base64 is not what upstream writes or reads.
  std::string unpadded = upstream_key;
  unpadded.pop_back();
  EXPECT_EQ(Identity::from_json(identity_json(upstream_id, unpadded)).error(),
            errc::invalid_base64);
  EXPECT_EQ(Identity::from_json(identity_json("not-a-peer-id", upstream_key)).error(),
            errc::invalid_id);
  EXPECT_EQ(Identity::from_json(identity_json("", upstream_key)).error(), errc::invalid_id);
  EXPECT_EQ(Identity::from_json("{\"id\": \"x\"}").error(), errc::missing_field);
  EXPECT_EQ(Identity::from_json("{\"private_key\": \"x\"}").error(), errc::missing_field);
  EXPECT_EQ(Identity::from_json("{\"id\": 1, \"private_key\": \"x\"}").error(),
            errc::invalid_json);
  EXPECT_EQ(Identity::from_json("[]").error(), errc::invalid_json);
  auto truncated = Identity::from_json("{\"id\": ");
  ASSERT_FALSE(truncated);
  EXPECT_EQ(truncated.error(), errc::invalid_json);
  EXPECT_NE(truncated.error().message().find("line 1"), std::string::npos)
      << truncated.error().message();
  auto deep = Identity::from_json(std::string("{\"id\": ") + std::string(70'000, '[') + std::string(70'000, ']') + "}");
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error(), errc::invalid_json);
  EXPECT_EQ(deep.error().message(), "JSON nested deeper than 128 levels");
  // A base64 string that is not a PrivateKey protobuf.
  EXPECT_EQ(Identity::from_json(identity_json(upstream_id, "AAAA")).error(), errc::invalid_key);
}

TEST(Identity, RefusesNonEd25519Keys) {
  // An RSA PrivateKey message (type 0); the key bytes do not matter, the type is refused first.
  const Bytes rsa = encode_private_key(KeyProto{KeyType::rsa, Bytes(64, 7)});
  auto r = Identity::from_json(
      identity_json("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
                    mb::encode_raw(mb::Base::base64_pad, rsa)));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::unsupported_key_type);
  EXPECT_NE(r.error().message().find("unsupported private key type RSA"), std::string::npos)
      << r.error().message();
}

TEST_F(TempDir, SaveWritesMode0600AndRefusesToOverwrite) {
  const fs::path path = dir_ / "identity.json";
  auto identity = Identity::from_json(identity_json(spec_id, spec_key_base64()));
  ASSERT_TRUE(identity);
  ASSERT_TRUE(identity->save_file(path));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(read_all(path), identity->to_json());

  const auto other = Identity::generate();
  auto refused = other.save_file(path);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), cf::errc::already_exists);
  EXPECT_NE(refused.error().message().find(path.string()), std::string::npos);
  EXPECT_EQ(read_all(path), identity->to_json());

  ASSERT_TRUE(other.save_file(path, Overwrite::yes));
  EXPECT_EQ(read_all(path), other.to_json());
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  auto loaded = Identity::load_file(path);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(loaded->id(), other.id());
  // No temporary files are left behind.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);
}

TEST_F(TempDir, SaveIntoAMissingFolderFailsWithThePath) {
  const fs::path path = dir_ / "missing" / "identity.json";
  auto r = Identity::generate().save_file(path);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message().find(path.string()), std::string::npos) << r.error().message();
}

TEST_F(TempDir, LoadErrorsNameThePath) {
  const fs::path missing = dir_ / "nope.json";
  auto r = Identity::load_file(missing);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), cf::errc::not_found);
  EXPECT_NE(r.error().message().find(missing.string()), std::string::npos);

  const fs::path bad = dir_ / "bad.json";
  std::ofstream(bad) << identity_json(upstream_id, "%%%%");
  auto b = Identity::load_file(bad);
  ASSERT_FALSE(b);
  EXPECT_EQ(b.error(), errc::invalid_base64);
  EXPECT_NE(b.error().message().find(bad.string()), std::string::npos) << b.error().message();
  EXPECT_NE(b.error().message().find("private_key"), std::string::npos);

  auto dir = Identity::load_file(dir_);
  ASSERT_FALSE(dir);
  EXPECT_EQ(dir.error(), cf::errc::io_failed);
}

TEST(Identity, EnvOverridesReplaceBothFieldsAndRevalidate) {
  auto identity = Identity::from_json(identity_json(upstream_id, upstream_key));
  ASSERT_TRUE(identity);

  // Both replaced: becomes the spec identity.
  auto both = *identity;
  ASSERT_TRUE(both.apply_env_overrides(
      env({{"CLUSTER_ID", spec_id}, {"CLUSTER_PRIVATEKEY", spec_key_base64()}})));
  EXPECT_EQ(both.id().to_string(), spec_id);

  // Only the key replaced: the old id no longer matches, and nothing changes.
  auto key_only = *identity;
  auto r = key_only.apply_env_overrides(env({{"CLUSTER_PRIVATEKEY", spec_key_base64()}}));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::id_mismatch);
  EXPECT_NE(r.error().message().find("CLUSTER_PRIVATEKEY"), std::string::npos)
      << r.error().message();
  EXPECT_EQ(key_only.id().to_string(), upstream_id);

  // A bad override names the variable.
  auto bad = *identity;
  auto e = bad.apply_env_overrides(env({{"CLUSTER_ID", "garbage"}}));
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error(), errc::invalid_id);
  EXPECT_NE(e.error().message().find("CLUSTER_ID"), std::string::npos);

  // No variables: unchanged.
  auto none = *identity;
  ASSERT_TRUE(none.apply_env_overrides(env({})));
  EXPECT_EQ(none.to_json(), identity->to_json());
}

TEST(Identity, EnvOverridesApplyBeforeValidationWhenLoading) {
  // As upstream LoadJSON: a file whose id does not match is fixed by CLUSTER_ID.
  const std::string mismatched = identity_json(spec_id, upstream_key);
  ASSERT_FALSE(Identity::from_json(mismatched));
  auto fixed = Identity::from_json(mismatched, env({{"CLUSTER_ID", upstream_id}}));
  ASSERT_TRUE(fixed) << fixed.error().message();
  EXPECT_EQ(fixed->id().to_string(), upstream_id);
}

TEST(Identity, ErrorsBelongToTheLayerCategory) {
  auto r = Identity::from_json("{}");
  ASSERT_FALSE(r);
  EXPECT_STREQ(r.error().code().category().name(), "cf.identity");
}

}  // namespace
}  // namespace cf::identity
