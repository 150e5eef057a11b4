// Strict dag-pb against the ipld/codec-fixtures vectors (fixtures/dagpb_*, negative-fixtures/
// dag-pb/decode/edges.json at bf8ab05), go-codec-dagpb's IPIP-550 field-order fixtures
// (fieldorder_test.go) and hostile inputs.
#include "cf/crdt/dagpb.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cf/base/protowire.hpp"
#include "cf/crdt/errc.hpp"
#include "cf/multiformats/multicodec.hpp"
#include "golden.hpp"

namespace cf::crdt {
namespace {

namespace mf = multiformats;
using golden::hex;

struct Fixture {
  const char* name;
  const char* hex;
  const char* cid;
};

// Every dag-pb fixture of ipld/codec-fixtures: the block and the CID in its file name.
const std::vector<Fixture>& codec_fixtures() {
  static const std::vector<Fixture> fixtures = {
      {"empty", "", "bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"},
      {"Data_zero", "0a00", "bafybeiaqfni3s5s2k2r6rgpxz4hohdsskh44ka5tk6ztbjerqpvxwfkwaq"},
      {"Data_some", "0a050001020304", "bafybeibazl2z4vqp2tmwcfag6wirmtpnomxknqcgrauj7m2yisrz3qjbom"},
      {"Links_Hash_some", "120b0a09015500050001020304", "bafybeia53f5n75ituvc3yupuf7tdnxf6fqetrmo2alc6g6iljkmk7ys5mm"},
      {"Links_Hash_some_Name_zero", "120d0a090155000500010203041200",
       "bafybeie7fstnkm4yshfwnmpp7d3mlh4f4okmk7a54d6c3ffr755q7qzk44"},
      {"Links_Hash_some_Name_some", "12160a090155000500010203041209736f6d65206e616d65",
       "bafybeifq4hcxma3kjljrpxtunnljtc6tvbkgsy3vldyfpfbx2lij76niyu"},
      {"Links_Hash_some_Tsize_zero", "120d0a090155000500010203041800",
       "bafybeichjs5otecmbvwh5azdr4jc45mp2qcofh2fr54wjdxhz4znahod2i"},
      {"Links_Hash_some_Tsize_some", "12140a0901550005000102030418ffffffffffffff0f",
       "bafybeiezymjvhwfuharanxmzxwuomzjjuzqjewjolr4phaiyp6l7qfwo64"},
      {"simple_forms_1", "0a03010203", "bafybeia2qk4u55f2qj7zimmtpulejgz7urp7rzs44cvledcaj42gltkk3u"},
      {"simple_forms_2",
       "120b0a0901550005000102030412100a09015500050001020304120362617212100a090155000500010203041203666f6f",
       "bafybeiahfgovhod2uvww72vwdgatl5r6qkoeegg7at2bghiokupfphqcku"},
      {"simple_forms_3", "120b0a09015500050001020304120e0a09015500050001020304120161120e0a09015500050001020304120161",
       "bafybeidrg2f6slbv4yzydqtgmsi2vzojajnt7iufcreynfpxndca4z5twm"},
      {"simple_forms_4", "120e0a09015500050001020304120161120e0a09015500050001020304120161",
       "bafybeieube7zxmzoc5bgttub2aqofi6xdzimv5munkjseeqccn36a6v6j4"},
      {"1link", "12240a2212207521fe19c374a97759226dc5c0c8e674e73950e81b211f7dd3b6b30883a08a51",
       "bafybeihyivpglm6o6wrafbe36fp5l67abmewk7i2eob5wacdbhz7as5obe"},
      {"2link+data",
       "12340a2212208ab7a6c5e74737878ac73863cb76739d15d4666de44e5756bf55a2f9e9ab5f431209736f6d65206c696e6b1880c2d72f"
       "12370a2212208ab7a6c5e74737878ac73863cb76739d15d4666de44e5756bf55a2f9e9ab5f44120f736f6d65206f74686572206c69"
       "6e6b18080a09736f6d652064617461",
       "bafybeibh647pmxyksmdm24uad6b5f7tx4dhvilzbg2fiqgzll4yek7g7y4"},
      {"4namedlinks+data",
       "12390a221220b4397c02da5513563d33eef894bf68f2ccdf1bdfc14a976956ab3d1c72f735a0120e617564696f5f6f6e6c792e6d34"
       "6118cda88f0b12310a221220025c13fcd1a885df444f64a4a82a26aea867b1148c68cb671e83589f971149321208636861742e7478"
       "7418e40712340a2212205d44a305b9b328ab80451d0daa72a12a7bf2763c5f8bbe327597a31ee40d1e48120c706c61796261636b2e"
       "6d3375187412360a2212202539ed6e85f2a6f9097db9d76cffd49bf3042eb2e3e8e9af4a3ce842d49dea22120a7a6f6f6d5f302e6d"
       "70341897fb8592010a020801",
       "bafybeigcsevw74ssldzfwhiijzmg7a35lssfmjkuoj2t5qs5u5aztj47tq"},
      {"7unnamedlinks+data",
       "122b0a2212203f29086b59b9e046b362b4b19c9371e834a9f5a80597af83be6d8b7d1a5ad33b120018aed4e015122b0a221220ae1a5a"
       "fd7c770507dddf17f92bba7a326974af8ae5277c198cf13206373f7263120018aed4e015122b0a22122022ab2ebf9c3523077bd6a1"
       "71d516ea0e1be1beb132d853778bcc62cd208e77f1120018aed4e015122b0a22122040a77fe7bc69bbef2491f7633b7c462d0bce96"
       "8868f88e2cbcaae9d0996997e8120018aed4e015122b0a2212206ae1979b14dd43966b0241ebe80ac2a04ad48959078dc5affa1286"
       "0648356ef6120018aed4e015122b0a221220a957d1f89eb9a861593bfcd19e0637b5c957699417e2b7f23c88653a240836c4120018"
       "aed4e015122b0a221220345f9c2137a2cd76d7b876af4bfecd01f80b7dd125f375cb0d56f8a2f96de2c31200189bfec10f0a2b0802"
       "18cbc1819201208080e015208080e015208080e015208080e015208080e015208080e01520cbc1c10f",
       "bafybeibfhhww5bpsu34qs7nz25wp7ve36mcc5mxd5du26sr45bbnjhpkei"},
  };
  return fixtures;
}

// The link CID of go-codec-dagpb's compat_test.go (_mkcid): raw codec, identity multihash.
const Bytes small_cid = hex("015500050001020304");

TEST(CrdtDagPb, EveryCodecFixtureDecodesReencodesAndHashesToItsCid) {
  for (const auto& f : codec_fixtures()) {
    const Bytes block = hex(f.hex);
    auto node = decode_dagpb(block);
    ASSERT_TRUE(node) << f.name << ": " << node.error().message();
    EXPECT_EQ(encode_dagpb(*node), block) << f.name;
    EXPECT_EQ(node_cid(block).to_string(), f.cid) << f.name;
    EXPECT_TRUE(verify_block(*mf::Cid::parse(f.cid), block)) << f.name;
  }
}

TEST(CrdtDagPb, FixtureContentsKeepPresenceOfEmptyFields) {
  auto empty = decode_dagpb({});
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->links.empty());
  EXPECT_FALSE(empty->data);

  auto data_zero = decode_dagpb(hex("0a00"));
  ASSERT_TRUE(data_zero && data_zero->data);
  EXPECT_TRUE(data_zero->data->empty());
  EXPECT_EQ(*decode_dagpb(hex("0a050001020304"))->data, hex("0001020304"));

  auto hash_only = decode_dagpb(hex("120b0a09015500050001020304"));
  ASSERT_TRUE(hash_only);
  ASSERT_EQ(hash_only->links.size(), 1u);
  EXPECT_EQ(hash_only->links[0].cid.bytes(), small_cid);
  EXPECT_EQ(hash_only->links[0].cid.codec(), mf::multicodec::raw);
  EXPECT_FALSE(hash_only->links[0].name);
  EXPECT_FALSE(hash_only->links[0].tsize);

  auto name_zero = decode_dagpb(hex("120d0a090155000500010203041200"));
  ASSERT_TRUE(name_zero);
  EXPECT_EQ(name_zero->links[0].name, std::optional<std::string>(""));
  auto tsize_zero = decode_dagpb(hex("120d0a090155000500010203041800"));
  ASSERT_TRUE(tsize_zero);
  EXPECT_EQ(tsize_zero->links[0].tsize, std::optional<std::uint64_t>(0));
  auto tsize_some = decode_dagpb(hex("12140a0901550005000102030418ffffffffffffff0f"));
  ASSERT_TRUE(tsize_some);
  EXPECT_EQ(tsize_some->links[0].tsize, std::optional<std::uint64_t>(9007199254740991));

  auto two = decode_dagpb(hex(codec_fixtures()[13].hex));
  ASSERT_TRUE(two);
  ASSERT_EQ(two->links.size(), 2u);
  EXPECT_EQ(two->links[0].name, std::optional<std::string>("some link"));
  EXPECT_EQ(two->links[0].tsize, std::optional<std::uint64_t>(100000000));
  EXPECT_EQ(two->links[1].name, std::optional<std::string>("some other link"));
  EXPECT_EQ(two->links[1].tsize, std::optional<std::uint64_t>(8));
  EXPECT_EQ(two->links[0].cid.version(), 0);
  EXPECT_EQ(to_string(*two->data), "some data");
}

TEST(CrdtDagPb, AcceptsDataBeforeLinksAndReencodesLinksFirst) {
  // IPIP-550: one UnixFS directory in both field orders (go-codec-dagpb fieldorder_test.go).
  const Bytes links_first = hex(
      "12330a24015512205891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03120968656c6c6f2e74787418060a"
      "020801");
  const Bytes data_first = hex(
      "0a02080112330a24015512205891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03120968656c6c6f2e7478"
      "741806");
  auto a = decode_dagpb(links_first);
  auto b = decode_dagpb(data_first);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(*a, *b);
  ASSERT_EQ(b->links.size(), 1u);
  EXPECT_EQ(b->links[0].name, std::optional<std::string>("hello.txt"));
  EXPECT_EQ(encode_dagpb(*b), links_first);
}

TEST(CrdtDagPb, RejectsTheCodecFixturesNegativeCases) {
  // negative-fixtures/dag-pb/decode/edges.json.
  const std::vector<std::pair<const char*, const char*>> edges = {
      {"Link with no Hash", "1200"},
      {"Data, and Link with no Hash", "12000a050001020304"},
      {"Link with zero Hash", "12020a00"},
      {"Link with just Name", "12021200"},
      {"Link with just some Name", "120b1209736f6d65206e616d65"},
      {"Link with just zero Tsize", "12021800"},
      {"Link with just nonzero Tsize", "120318f207"},
      {"data between links",
       "12240a221220cf92fdefcdc34cac009c8b05eb662be0618db9de55ecd42785e9ec6712f8df650a040802180612240a221220cf92fdefcd"
       "c34cac009c8b05eb662be0618db9de55ecd42785e9ec6712f8df65"},
  };
  for (const auto& [name, h] : edges) {
    auto node = decode_dagpb(hex(h));
    ASSERT_FALSE(node) << name;
    EXPECT_EQ(node.error(), errc::malformed_node) << name;
  }
  auto between = decode_dagpb(hex(edges.back().second));
  EXPECT_NE(between.error().detail().find("duplicate Links section"), std::string::npos);
}

// A link message around the given fields.
Bytes link_with(std::string_view fields_hex) {
  Bytes out;
  protowire::append_bytes_field(out, 2, hex(fields_hex));
  return out;
}

TEST(CrdtDagPb, RejectsWhatGoCodecDagpbRejects) {
  const std::vector<std::pair<const char*, Bytes>> bad = {
      {"duplicate Data", hex("0a01010a0102")},
      {"Data, links, Data", hex("0a0101120b0a090155000500010203040a0102")},
      {"unknown top-level field 3", hex("1a0101")},
      {"Data as a varint", hex("0801")},
      {"Links as a fixed32", hex("1501000000")},
      {"Name before Hash", link_with("12000a09015500050001020304")},
      {"Tsize before Name", link_with("0a0901550005000102030418001200")},
      {"Tsize before Hash", link_with("18000a09015500050001020304")},
      {"duplicate Hash", link_with("0a090155000500010203040a09015500050001020304")},
      {"duplicate Name", link_with("0a0901550005000102030412001200")},
      {"duplicate Tsize", link_with("0a0901550005000102030418001800")},
      {"unknown link field 4", link_with("0a090155000500010203042000")},
      {"Hash as a varint", link_with("0801")},
      {"Name as a varint", link_with("0a090155000500010203041000")},
      {"Tsize as bytes", link_with("0a090155000500010203041a00")},
      {"Hash that is not a CID", link_with("0a03020304")},
      {"Hash with a trailing byte", link_with("0a0a0155000500010203040f")},
      {"truncated CIDv0 Hash", link_with("0a0412200102")},
      {"link length past the end", hex("120b0a0901")},
      {"field number 0", hex("0a0001")},
      {"truncated tag", hex("0a0080")},
      {"group wire type", hex("0b0c")},
  };
  for (const auto& [name, block] : bad) {
    auto node = decode_dagpb(block);
    ASSERT_FALSE(node) << name;
    EXPECT_EQ(node.error(), errc::malformed_node) << name;
  }
}

TEST(CrdtDagPb, ErrorsNameTheFieldNeverTheBytes) {
  auto node = decode_dagpb(hex("120b0a09015500050001020304" + std::string("120c0a0a0155000500010203040f")));
  ASSERT_FALSE(node);
  EXPECT_NE(node.error().detail().find("Links[1].Hash"), std::string::npos) << node.error().detail();
  EXPECT_EQ(node.error().detail().find("0155000500"), std::string::npos) << node.error().detail();
}

TEST(CrdtDagPb, EveryTruncationFailsOrIsAShorterValidNode) {
  for (const auto& f : codec_fixtures()) {
    const Bytes block = hex(f.hex);
    for (std::size_t n = 0; n < block.size(); ++n) {
      const ByteView prefix = ByteView(block).first(n);
      auto node = decode_dagpb(prefix);
      // A cut at a field boundary leaves a smaller valid node; anywhere else it must fail.
      if (node) {
        EXPECT_EQ(encode_dagpb(*node), Bytes(prefix.begin(), prefix.end())) << f.name << " cut at " << n;
      } else {
        EXPECT_EQ(node.error(), errc::malformed_node) << f.name << " cut at " << n;
      }
    }
  }
}

TEST(CrdtDagPb, BoundsBlockSizeAndLinkCount) {
  Bytes three_links;
  for (int i = 0; i < 3; ++i) {
    const Bytes link = hex("120b0a09015500050001020304");
    three_links.insert(three_links.end(), link.begin(), link.end());
  }
  DagPbLimits limits;
  limits.max_links = 2;
  auto node = decode_dagpb(three_links, limits);
  ASSERT_FALSE(node);
  EXPECT_EQ(node.error(), errc::too_large);
  limits.max_links = 3;
  EXPECT_TRUE(decode_dagpb(three_links, limits));
  limits.max_block_size = three_links.size() - 1;
  node = decode_dagpb(three_links, limits);
  ASSERT_FALSE(node);
  EXPECT_EQ(node.error(), errc::too_large);
}

TEST(CrdtDagPb, DecodesAGoDsCrdtLinkToACidV0Node) {
  // One link as go-ds-crdt writes it to a pre-2021 CIDv0 node: 12 28 0a 22 12 20 <32> 12 00 18 00.
  const mf::Cid v0 = *mf::Cid::parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n");
  Bytes block = hex("12280a22");
  block.insert(block.end(), v0.bytes().begin(), v0.bytes().end());
  const Bytes tail = hex("12001800");
  block.insert(block.end(), tail.begin(), tail.end());
  auto node = decode_dagpb(block);
  ASSERT_TRUE(node);
  ASSERT_EQ(node->links.size(), 1u);
  EXPECT_EQ(node->links[0], (Link{v0, std::string(), std::uint64_t{0}}));
  EXPECT_EQ(encode_dagpb(*node), block);
}

TEST(CrdtDagPb, VerifyBlockChecksCodecHashAndDigest) {
  const Bytes empty;
  // ipld/specs dag-pb.md: the zero-length block, as CIDv1 and as CIDv0.
  EXPECT_TRUE(verify_block(*mf::Cid::parse("bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"), empty));
  EXPECT_TRUE(verify_block(*mf::Cid::parse("QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n"), empty));

  auto mismatch = verify_block(*mf::Cid::parse("bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"), hex("0a00"));
  ASSERT_FALSE(mismatch);
  EXPECT_EQ(mismatch.error(), errc::hash_mismatch);

  // The same digest under the raw codec, and an identity multihash under dag-pb.
  const mf::Cid raw = mf::Cid::v1(mf::multicodec::raw, mf::Multihash::sha2_256(empty));
  auto wrong_codec = verify_block(raw, empty);
  ASSERT_FALSE(wrong_codec);
  EXPECT_EQ(wrong_codec.error(), errc::unsupported_cid);
  const mf::Cid identity = mf::Cid::v1(mf::multicodec::dag_pb, mf::Multihash::identity(empty));
  auto wrong_hash = verify_block(identity, empty);
  ASSERT_FALSE(wrong_hash);
  EXPECT_EQ(wrong_hash.error(), errc::unsupported_cid);
}

}  // namespace
}  // namespace cf::crdt
