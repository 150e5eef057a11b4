// Multicodec numbers used by the follower (multiformats/multicodec table.csv).
#pragma once

#include <cstdint>

namespace cf::multiformats::multicodec {

// Multihash functions.
inline constexpr std::uint64_t identity = 0x00;
inline constexpr std::uint64_t sha2_256 = 0x12;
inline constexpr std::uint64_t md5 = 0xd5;

// CID content codecs.
inline constexpr std::uint64_t raw = 0x55;
inline constexpr std::uint64_t dag_pb = 0x70;
inline constexpr std::uint64_t dag_cbor = 0x71;
inline constexpr std::uint64_t libp2p_key = 0x72;
inline constexpr std::uint64_t dag_json = 0x0129;

}  // namespace cf::multiformats::multicodec
