// The gossipsub topic a CRDT cluster publishes its heads on (ipfs-cluster
// consensus/crdt/consensus.go: the topic is the base58btc text of the MD5 multihash of
// consensus.crdt.cluster_name).
#pragma once

#include <string>
#include <string_view>

namespace cf::cluster {

// base58btc(multihash(md5, cluster_name)), no multibase prefix.
// "ipfs-cluster" → "fzhnp2UwTBkgNabrJi1VanzwgN".
std::string pubsub_topic(std::string_view cluster_name);

}  // namespace cf::cluster
