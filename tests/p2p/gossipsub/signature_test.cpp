// StrictSign verification and signing (go-libp2p-pubsub v0.16 sign.go; libp2p-wire.md §7.4):
// the golden vector, forgeries, key/from mismatches, every key type, and the bytes go verifies
// when a Message carries unknown, reordered or repeated fields.
#include "cf/p2p/gossipsub/signature.hpp"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>

#include "cf/base/protowire.hpp"
#include "cf/identity/keys.hpp"
#include "cf/p2p/gossipsub/errc.hpp"
#include "cf/p2p/noise/identity_key.hpp"
#include "vectors/noise/noise_vectors.hpp"
#include "vectors/peer_id_spec.hpp"

namespace cf::p2p::gossipsub {
namespace {

namespace pw = cf::protowire;
namespace mf = cf::multiformats;
namespace spec = cf::test::peer_id_spec;

constexpr std::string_view cluster_topic = "fzhnp2UwTBkgNabrJi1VanzwgN";

identity::Ed25519Keypair spec_key() {
  return *identity::Ed25519Keypair::from_proto(spec::unhex(spec::ed25519_private));
}

Bytes field(std::uint32_t number, ByteView payload) {
  Bytes out;
  pw::append_bytes_field(out, number, payload);
  return out;
}

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

Message decoded(const Bytes& raw) {
  auto m = decode_message(raw);
  EXPECT_TRUE(m) << (m ? "" : m.error().message());
  return m ? *m : Message{};
}

Bytes with_prefix(const Bytes& body) {
  Bytes out(sign_prefix.size() + body.size());
  std::copy(sign_prefix.begin(), sign_prefix.end(), out.begin());
  std::copy(body.begin(), body.end(), out.begin() + static_cast<std::ptrdiff_t>(sign_prefix.size()));
  return out;
}

Bytes ed25519_sign(const Bytes& body) {
  const auto sig = spec_key().sign(with_prefix(body));
  return Bytes(sig.begin(), sig.end());
}

TEST(GossipsubSignature, GoldenVector) {
  auto m = sign_message(spec_key(), std::string(cluster_topic), Bytes{'h', 'e', 'l', 'l', 'o'}, 1);
  ASSERT_TRUE(m);
  const std::string body =
      "0a260024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e120568656c6c"
      "6f1a080000000000000001221a667a686e7032557754426b674e6162724a693156616e7a77674e";
  const std::string signature =
      "8ca5b715a6f11ce260803b8e8aa2fd5cc4acee0d7956353836c667bfb492b08b5dc2aa92db2c46f7ea588e7573"
      "51eb2f9df1531459cc2b82b11c0717a529c908";
  EXPECT_EQ(to_hex(m->raw), body + "2a40" + signature);
  EXPECT_EQ(to_hex(m->signature), signature);
  EXPECT_TRUE(m->key.empty());
  // from[0:16] || seqno, 24 bytes. libp2p-wire.md §7.4 prints this ID with 15 bytes of `from`
  // ("...c4a144b8" then the seqno): a typo there. hashMsgID slices [0:16], the brief itself says
  // 24 bytes, and a go run (gogo Marshal, crypto/ed25519, GetFrom()[0:16]) printed the message,
  // the signature and this ID as below.
  EXPECT_EQ(to_hex(message_id(*m, IdForm::cluster)), "0024080112201ed1e8fae2c4a144b8be0000000000000001");
  EXPECT_EQ(to_hex(message_id(*m, IdForm::full)),
            "0024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"
            "0000000000000001");
  auto author = verify_message(decoded(m->raw));
  ASSERT_TRUE(author) << author.error().message();
  EXPECT_EQ(author->to_string(), spec::ed25519_peer_id);
  EXPECT_EQ(to_hex(*signed_bytes(*m)), to_hex(with_prefix(spec::unhex(body))));
}

TEST(GossipsubSignature, AnyFlippedByteFailsVerification) {
  const Message m = *sign_message(spec_key(), "t", Bytes{1, 2, 3}, 42);
  for (std::size_t i = 0; i < m.raw.size(); ++i) {
    for (std::uint8_t mask : {0x01, 0x80}) {
      Bytes raw = m.raw;
      raw[i] ^= mask;
      auto parsed = decode_message(raw);
      if (!parsed) continue;  // no longer a Message at all
      EXPECT_FALSE(verify_message(*parsed)) << "byte " << i << " mask " << int(mask);
    }
  }
}

TEST(GossipsubSignature, ForgedOrMissingSignature) {
  const Message m = *sign_message(spec_key(), "t", Bytes{1}, 7);
  Message forged = m;
  forged.raw = cat({encode_message(Message{m.from, Bytes{2}, m.seqno, "t", {}, {}, {}}),
                    field(5, m.signature)});
  EXPECT_EQ(verify_message(decoded(forged.raw)).error(), errc::bad_signature);
  const Bytes unsigned_raw = encode_message(Message{m.from, m.data, m.seqno, "t", {}, {}, {}});
  EXPECT_EQ(verify_message(decoded(unsigned_raw)).error(), errc::missing_signature);
  // An empty signature field is present: it fails as a bad signature, as in go.
  EXPECT_EQ(verify_message(decoded(cat({unsigned_raw, field(5, Bytes{})}))).error(),
            errc::bad_signature);
}

TEST(GossipsubSignature, AuthorAndKeyChecks) {
  const Message m = *sign_message(spec_key(), "t", Bytes{1}, 7);
  const Bytes body = encode_message(Message{m.from, m.data, m.seqno, "t", {}, {}, {}});
  const Bytes sig = field(5, m.signature);
  // The matching key given explicitly is fine (go allows it).
  const Bytes own_key = spec::unhex(spec::ed25519_public);
  EXPECT_TRUE(verify_message(decoded(cat({body, sig, field(6, own_key)}))));
  // Another peer's key: key_mismatch.
  const auto other = identity::Ed25519Keypair::from_seed(Bytes(32, 9))->public_key().to_proto();
  EXPECT_EQ(verify_message(decoded(cat({body, sig, field(6, other)}))).error(), errc::key_mismatch);
  // A present but empty or garbage key: invalid_key (go does not fall back to `from`).
  EXPECT_EQ(verify_message(decoded(cat({body, sig, field(6, Bytes{})}))).error(), errc::invalid_key);
  EXPECT_EQ(verify_message(decoded(cat({body, sig, field(6, Bytes{8, 1, 0x12, 3, 1, 2, 3})}))).error(),
            errc::invalid_key);
  // No from, a from that is not a peer ID, a sha2-256 from without a key.
  const Bytes tail = cat({field(2, m.data), field(3, m.seqno), field(4, as_bytes("t")), sig});
  EXPECT_EQ(verify_message(decoded(tail)).error(), errc::invalid_author);
  EXPECT_EQ(verify_message(decoded(cat({field(1, Bytes{1, 2, 3}), tail}))).error(), errc::invalid_author);
  const auto rsa_like = mf::PeerId::from_public_key_proto(Bytes(100, 7));
  EXPECT_EQ(verify_message(decoded(cat({field(1, rsa_like.bytes()), tail}))).error(),
            errc::no_public_key);
}

TEST(GossipsubSignature, VerifiesTheBytesGoVerifies) {
  const Message m = *sign_message(spec_key(), "t", Bytes{1}, 7);
  const Bytes f1 = field(1, m.from), f2 = field(2, m.data), f3 = field(3, m.seqno);
  const Bytes f4 = field(4, as_bytes("t"));
  Bytes unknown;
  pw::append_varint_field(unknown, 9, 77);
  const Bytes unknown_bytes = field(15, Bytes{0xde, 0xad});

  // Unknown fields after the known ones, as a future go would send them: kept and verified.
  const Bytes canonical = cat({f1, f2, f3, f4, unknown, unknown_bytes});
  EXPECT_TRUE(verify_message(decoded(cat({canonical, field(5, ed25519_sign(canonical))}))));
  // Dropping or altering an unknown field breaks the signature: the bytes are covered.
  EXPECT_FALSE(verify_message(decoded(cat({f1, f2, f3, f4, unknown, field(5, ed25519_sign(canonical))}))));

  // Reordered fields: go re-marshals known fields in order and unknown ones after them, so the
  // signature must be over that form, not over the received order.
  const Bytes reordered = cat({f4, unknown, f3, f2, f1});
  const Bytes go_form = cat({f1, f2, f3, f4, unknown});
  EXPECT_TRUE(verify_message(decoded(cat({reordered, field(5, ed25519_sign(go_form))}))));
  EXPECT_FALSE(verify_message(decoded(cat({reordered, field(5, ed25519_sign(reordered))}))));

  // A repeated field: the last value counts, in the message and in the signed bytes.
  const Bytes repeated = cat({f1, field(2, Bytes{9, 9}), f2, f3, f4});
  const Message parsed = decoded(cat({repeated, field(5, ed25519_sign(cat({f1, f2, f3, f4})))}));
  EXPECT_EQ(parsed.data, m.data);
  EXPECT_TRUE(verify_message(parsed));

  // Signature and key fields anywhere are left out.
  EXPECT_TRUE(verify_message(decoded(cat({field(5, Bytes(64, 0)), f1, f2, f3, f4,
                                          field(5, ed25519_sign(cat({f1, f2, f3, f4})))}))));
}

// Outputs of go-libp2p-pubsub v0.16's generated code (pb/rpc.pb.go, gogo): Message.Unmarshal of
// the input, Signature and Key set to nil, Marshal. Run once with go 1.26 for this test.
TEST(GossipsubSignature, SignedBytesMatchGoReMarshal) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      // reordered fields, an unknown varint field 9 and a signature
      {"2201744801" "1a0103" "120102" "0a0101" "2a0100", "0a01011201021a01032201744801"},
      // data twice: the last one counts
      {"0a0101" "12020909" "120102" "1a0103" "220174", "0a01011201021a0103220174"},
      // a non-minimal length varint is written minimal again
      {"0a810001", "0a0101"},
      // present but empty data stays; key goes
      {"0a0101" "1200" "3200", "0a01011200"},
  };
  for (const auto& [input, go_output] : cases) {
    Message m;
    m.raw = spec::unhex(input);
    auto bytes = signed_bytes(m);
    ASSERT_TRUE(bytes) << input;
    EXPECT_EQ(to_hex(*bytes), to_hex(with_prefix(spec::unhex(go_output)))) << input;
  }
  // go rejects a known field of the wrong wire type ("proto: wrong wireType = 0 for field From").
  Message wrong;
  wrong.raw = Bytes{0x08, 0x01};
  EXPECT_EQ(signed_bytes(wrong).error(), errc::malformed_rpc);
}

TEST(GossipsubSignature, SignRejectsOversizedData) {
  auto m = sign_message(spec_key(), "t", Bytes(max_rpc_size, 0), 1);
  ASSERT_FALSE(m);
  EXPECT_EQ(m.error(), errc::message_too_large);
}

TEST(GossipsubSignature, IdsOfShortFromTakeItWhole) {
  Message m;
  m.from = Bytes{1, 2, 3};
  m.seqno = Bytes{4};
  EXPECT_EQ(message_id(m, IdForm::cluster), (Bytes{1, 2, 3, 4}));
  EXPECT_EQ(message_id(m, IdForm::full), (Bytes{1, 2, 3, 4}));
}

// ---- RSA, secp256k1 and ECDSA authors (OpenSSL signs; go's fixtures pin the key formats) ----

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

Bytes openssl_sign(EVP_PKEY* key, const Bytes& message) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t size = 0;
  EXPECT_EQ(EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key), 1);
  EXPECT_EQ(EVP_DigestSign(ctx, nullptr, &size, message.data(), message.size()), 1);
  Bytes sig(size);
  EXPECT_EQ(EVP_DigestSign(ctx, sig.data(), &size, message.data(), message.size()), 1);
  sig.resize(size);
  EVP_MD_CTX_free(ctx);
  return sig;
}

Bytes pkix(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int n = i2d_PUBKEY(key, &der);
  Bytes out(der, der + std::max(n, 0));
  OPENSSL_free(der);
  return out;
}

Bytes secp256k1_point(EVP_PKEY* key) {
  Bytes point(65);
  std::size_t size = 0;
  EXPECT_EQ(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point.data(),
                                            point.size(), &size),
            1);
  point.resize(size);
  return point;
}

// A message by `key` (whose libp2p PublicKey is `pub`), with the key attached when `attach`.
Message signed_by(EVP_PKEY* key, const identity::KeyProto& pub, bool attach) {
  const Bytes pub_proto = identity::encode_public_key(pub);
  const auto author = mf::PeerId::from_public_key_proto(*noise::canonical_public_key(pub));
  const Bytes body = encode_message(Message{author.bytes(), Bytes{'x'}, Bytes(8, 1), "t", {}, {}, {}});
  Bytes raw = cat({body, field(5, openssl_sign(key, with_prefix(body)))});
  if (attach) raw = cat({raw, field(6, pub_proto)});
  return decoded(raw);
}

void expect_author(const Message& m) {
  auto author = verify_message(m);
  ASSERT_TRUE(author) << author.error().message();
  EXPECT_EQ(author->bytes(), m.from);
  Message tampered = m;
  tampered.raw[tampered.raw.size() / 3] ^= 0x04;
  auto parsed = decode_message(tampered.raw);
  if (parsed) {
    EXPECT_FALSE(verify_message(*parsed));
  }
}

TEST(GossipsubSignature, RsaAuthorWithAttachedKey) {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048}));
  ASSERT_TRUE(key);
  const identity::KeyProto pub{identity::KeyType::rsa, pkix(key.get())};
  expect_author(signed_by(key.get(), pub, true));
  // Without the key, a "Qm…" author cannot be verified.
  EXPECT_EQ(verify_message(signed_by(key.get(), pub, false)).error(), errc::no_public_key);
}

TEST(GossipsubSignature, Secp256k1AuthorInlinedOrAttached) {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "secp256k1"));
  ASSERT_TRUE(key);
  // The uncompressed point is accepted and the peer ID uses the compressed form (go Raw()).
  const identity::KeyProto uncompressed{identity::KeyType::secp256k1, secp256k1_point(key.get())};
  ASSERT_EQ(uncompressed.data.size(), 65u);
  expect_author(signed_by(key.get(), uncompressed, true));
  // A compressed secp256k1 key fits an identity peer ID: go omits the key.
  auto canonical = identity::decode_public_key(*noise::canonical_public_key(uncompressed));
  ASSERT_TRUE(canonical);
  expect_author(signed_by(key.get(), *canonical, false));
}

TEST(GossipsubSignature, EcdsaAuthorWithAttachedKey) {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  ASSERT_TRUE(key);
  expect_author(signed_by(key.get(), {identity::KeyType::ecdsa, pkix(key.get())}, true));
}

TEST(GossipsubSignature, GoFixtureKeysAreCheckedAgainstFrom) {
  namespace nv = cf::test::noise_vectors;
  for (int n : {0, 2, 3}) {
    SCOPED_TRACE(n);
    const Bytes pub = nv::read_file("go_libp2p_crypto_" + std::to_string(n) + ".pub");
    const Bytes sig = nv::read_file("go_libp2p_crypto_" + std::to_string(n) + ".sig");
    ASSERT_FALSE(pub.empty());
    const auto author = mf::PeerId::from_public_key_proto(pub);
    const Bytes body = encode_message(Message{author.bytes(), Bytes{'x'}, Bytes(8, 1), "t", {}, {}, {}});
    // go's key parses and matches `from`; its fixture signature is over another text.
    EXPECT_EQ(verify_message(decoded(cat({body, field(5, sig), field(6, pub)}))).error(),
              errc::bad_signature);
    // The same key under another author is refused before any signature check.
    const Bytes other = encode_message(
        Message{spec::unhex("0024080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e"),
                Bytes{'x'}, Bytes(8, 1), "t", {}, {}, {}});
    EXPECT_EQ(verify_message(decoded(cat({other, field(5, sig), field(6, pub)}))).error(),
              errc::key_mismatch);
  }
}

}  // namespace
}  // namespace cf::p2p::gossipsub
