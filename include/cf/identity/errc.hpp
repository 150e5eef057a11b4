// Error codes of the identity layer (keys, key protobufs, identity.json). Category
// "cf.identity", pattern of cf/base/errc.hpp. File-system failures use cf::errc (not_found,
// io_failed, already_exists) with the path in the detail.
#pragma once

#include <system_error>

namespace cf::identity {

enum class errc {
  invalid_key = 1,       // a key or key protobuf that does not parse or is inconsistent
  unsupported_key_type,  // RSA, Secp256k1 or ECDSA where an Ed25519 key is required
  invalid_json,          // identity.json is not a JSON object or a field has the wrong type
  missing_field,         // identity.json lacks "id" or "private_key"
  invalid_base64,        // private_key is not standard base64 with padding
  invalid_id,            // "id" is not a peer ID
  id_mismatch,           // "id" is not the peer ID of "private_key"
  unsafe_file_mode,      // identity.json is writable by everyone: anyone could replace the key
};

const std::error_category& identity_category();
std::error_code make_error_code(errc e);

}  // namespace cf::identity

template <>
struct std::is_error_code_enum<cf::identity::errc> : std::true_type {};
