#include "cf/cluster/topic.hpp"

#include <openssl/evp.h>

#include <cstdint>
#include <cstdlib>

#include "cf/multiformats/multihash.hpp"

namespace cf::cluster {
namespace {

constexpr std::uint64_t md5_code = 0xd5;  // multicodec table: md5

}  // namespace

std::string pubsub_topic(std::string_view cluster_name) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  // MD5 is what upstream uses to name the topic; it is an identifier here, not a security check.
  if (EVP_Digest(cluster_name.data(), cluster_name.size(), digest, &size, EVP_md5(), nullptr) != 1) {
    std::abort();  // only fails on allocation failure or a broken libcrypto
  }
  return multiformats::Multihash::create(md5_code, ByteView(digest, size)).to_base58();
}

}  // namespace cf::cluster
