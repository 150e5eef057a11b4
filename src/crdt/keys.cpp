// dshelp keys (see keys.hpp).
#include "cf/crdt/keys.hpp"

#include "cf/crdt/errc.hpp"
#include "cf/multiformats/multibase.hpp"

namespace cf::crdt {
namespace {

namespace mf = multiformats;
namespace mb = multiformats::multibase;

// Appended rather than `"/" + text`: g++ 12 at -O3 warns falsely (-Wrestrict) on the latter.
std::string to_key(ByteView bytes) {
  std::string key = "/";
  key += mb::encode_raw(mb::Base::base32_upper, bytes);
  return key;
}

// The bytes of a canonical "/<BASE32>" key; `what` names the key kind in errors.
Result<Bytes> key_bytes(std::string_view key, const char* what) {
  auto fail = [&](const std::string& why) {
    return Error(errc::invalid_key, std::string(what) + " of " + std::to_string(key.size()) + " characters " + why);
  };
  if (key.size() > max_key_text) return fail("is longer than " + std::to_string(max_key_text));
  if (key.size() < 2 || key.front() != '/') return fail("is not \"/\" followed by base32");
  auto bytes = mb::decode_raw(mb::Base::base32_upper, key.substr(1));
  if (!bytes) return fail("is not base32 (" + bytes.error().code().message() + ")");
  if (to_key(*bytes) != key) return fail("is not canonical upper-case base32 without padding");
  return std::move(*bytes);
}

}  // namespace

std::string element_id(const mf::Multihash& node_hash) { return to_key(node_hash.bytes()); }

Result<mf::Multihash> parse_element_id(std::string_view id) {
  CF_TRY_ASSIGN(bytes, key_bytes(id, "element id"));
  auto hash = mf::Multihash::from_bytes(bytes);
  if (!hash) {
    return Error(errc::invalid_key, "element id of " + std::to_string(id.size()) + " characters is not a multihash (" +
                                        hash.error().code().message() + ")");
  }
  return std::move(*hash);
}

std::string pin_key(const mf::Cid& cid) { return to_key(cid.bytes()); }

Result<mf::Cid> pin_cid_from_key(std::string_view key) {
  CF_TRY_ASSIGN(bytes, key_bytes(key, "pin key"));
  auto cid = mf::Cid::from_bytes(bytes);
  if (!cid) {
    return Error(errc::invalid_key, "pin key of " + std::to_string(key.size()) + " characters is not a CID (" +
                                        cid.error().code().message() + ")");
  }
  return std::move(*cid);
}

}  // namespace cf::crdt
