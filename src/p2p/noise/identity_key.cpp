// Remote identity keys of every libp2p key type (see identity_key.hpp). The only file of the
// noise sublayer that sees OpenSSL types.
#include "cf/p2p/noise/identity_key.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include <array>
#include <climits>
#include <memory>
#include <string>
#include <string_view>

#include "cf/identity/ed25519.hpp"
#include "cf/p2p/noise/errc.hpp"

namespace cf::p2p::noise {
namespace {

namespace id = cf::identity;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

constexpr int min_rsa_bits = 2048;  // go MinRsaKeyBits (without LIBP2P_ALLOW_WEAK_RSA_KEYS)
constexpr int max_rsa_bits = 8192;  // go maxRsaKeyBits

Error bad_key(id::KeyType type, const std::string& why) {
  ERR_clear_error();
  return Error(errc::invalid_identity_key,
               "invalid " + std::string(id::to_string(type)) + " identity key: " + why);
}

// A SubjectPublicKeyInfo DER with no trailing bytes (go x509.ParsePKIXPublicKey).
Result<Pkey> parse_pkix(id::KeyType type, ByteView der) {
  if (der.empty() || der.size() > static_cast<std::size_t>(LONG_MAX)) {
    return bad_key(type, "empty or oversized PKIX data");
  }
  const unsigned char* p = der.data();
  Pkey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!key) return bad_key(type, "not a PKIX public key");
  if (p != der.data() + der.size()) return bad_key(type, "trailing data after the PKIX key");
  return key;
}

Result<Pkey> parse_rsa(ByteView der) {
  CF_TRY_ASSIGN(key, parse_pkix(id::KeyType::rsa, der));
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_RSA) return bad_key(id::KeyType::rsa, "not RSA");
  const int bits = EVP_PKEY_get_bits(key.get());
  if (bits < min_rsa_bits || bits > max_rsa_bits) {
    return bad_key(id::KeyType::rsa, std::to_string(bits) + " bits (must be 2048..8192)");
  }
  return key;
}

std::string utf8_param(const EVP_PKEY* key, const char* name) {
  std::array<char, 80> buf{};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, name, buf.data(), buf.size(), &len) != 1) return {};
  return std::string(buf.data(), len);
}

Result<Pkey> parse_ecdsa(ByteView der) {
  CF_TRY_ASSIGN(key, parse_pkix(id::KeyType::ecdsa, der));
  if (EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC) return bad_key(id::KeyType::ecdsa, "not EC");
  const std::string curve = utf8_param(key.get(), OSSL_PKEY_PARAM_GROUP_NAME);
  static constexpr std::string_view go_curves[] = {"secp224r1", "prime256v1", "secp384r1",
                                                   "secp521r1", "P-224", "P-256", "P-384", "P-521"};
  bool known = false;
  for (auto c : go_curves) known = known || curve == c;
  if (!known) return bad_key(id::KeyType::ecdsa, "curve '" + curve + "' is not a NIST curve Go accepts");
  if (utf8_param(key.get(), OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT) != "uncompressed") {
    return bad_key(id::KeyType::ecdsa, "the point is not in uncompressed form");
  }
  return key;
}

// 33-byte compressed (02/03) or 65-byte uncompressed (04) point on secp256k1.
Result<Pkey> parse_secp256k1(ByteView point) {
  const bool compressed = point.size() == 33 && (point[0] == 0x02 || point[0] == 0x03);
  if (!compressed && !(point.size() == 65 && point[0] == 0x04)) {
    return bad_key(id::KeyType::secp256k1, "not a 33- or 65-byte SEC1 point");
  }
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(),
                                                                      &OSSL_PARAM_BLD_free);
  if (!bld ||
      !OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "secp256k1", 0) ||
      !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                        point.size())) {
    return bad_key(id::KeyType::secp256k1, "out of memory");
  }
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(OSSL_PARAM_BLD_to_param(bld.get()),
                                                                 &OSSL_PARAM_free);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr), &EVP_PKEY_CTX_free);
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return bad_key(id::KeyType::secp256k1, "the point is not on secp256k1");
  }
  Pkey key(raw);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> check(
      EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr), &EVP_PKEY_CTX_free);
  if (!check || EVP_PKEY_public_check(check.get()) != 1) {
    return bad_key(id::KeyType::secp256k1, "the point is not a valid public key");
  }
  return key;
}

Result<Pkey> parse_openssl_key(const id::KeyProto& key) {
  switch (key.type) {
    case id::KeyType::rsa: return parse_rsa(key.data);
    case id::KeyType::ecdsa: return parse_ecdsa(key.data);
    case id::KeyType::secp256k1: return parse_secp256k1(key.data);
    case id::KeyType::ed25519: break;
  }
  return Error(errc::unsupported_key_type, "not an OpenSSL key type");
}

Result<Bytes> der_of(const Pkey& key, id::KeyType type) {
  unsigned char* out = nullptr;
  const int len = i2d_PUBKEY(key.get(), &out);
  if (len <= 0) return bad_key(type, "cannot re-encode the key");
  Bytes der(out, out + len);
  OPENSSL_free(out);
  return der;
}

Status verify_with_openssl(const id::KeyProto& key, ByteView message, ByteView signature) {
  CF_TRY_ASSIGN(pkey, parse_openssl_key(key));
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  // RSA defaults to PKCS#1 v1.5 padding; EC keys take a DER ECDSA signature.
  const bool good =
      md && !signature.empty() &&
      EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) == 1 &&
      EVP_DigestVerify(md.get(), signature.data(), signature.size(), message.data(),
                       message.size()) == 1;
  ERR_clear_error();
  if (!good) {
    return Error(errc::invalid_signature,
                 std::string(id::to_string(key.type)) + " signature does not verify");
  }
  return ok();
}

}  // namespace

Result<Bytes> canonical_public_key(const id::KeyProto& key) {
  Bytes data;
  switch (key.type) {
    case id::KeyType::ed25519: {
      auto pub = id::Ed25519PublicKey::from_bytes(key.data);
      if (!pub) return bad_key(key.type, pub.error().message());
      data = key.data;
      break;
    }
    case id::KeyType::secp256k1: {
      CF_TRY(parse_secp256k1(key.data));
      data.assign(key.data.begin(), key.data.begin() + 33);
      if (key.data.size() == 65) data[0] = static_cast<std::uint8_t>(0x02 | (key.data[64] & 1));
      break;
    }
    case id::KeyType::rsa:
    case id::KeyType::ecdsa: {
      CF_TRY_ASSIGN(pkey, parse_openssl_key(key));
      CF_TRY_ASSIGN(der, der_of(pkey, key.type));
      data = std::move(der);
      break;
    }
  }
  return id::encode_public_key(id::KeyProto{key.type, std::move(data)});
}

Status verify_signature(const id::KeyProto& key, ByteView message, ByteView signature) {
  if (key.type != id::KeyType::ed25519) return verify_with_openssl(key, message, signature);
  auto pub = id::Ed25519PublicKey::from_bytes(key.data);
  if (!pub) return bad_key(key.type, pub.error().message());
  if (!pub->verify(message, signature)) {
    return Error(errc::invalid_signature, "Ed25519 signature does not verify");
  }
  return ok();
}

}  // namespace cf::p2p::noise
