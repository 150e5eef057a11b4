// The golden go-ds-crdt DAG of crdt-dag-and-pinset.md §6.2 and its extensions, as hex and
// text. Built from the format rules (not captured from Go; §6.3 would confirm them): every
// value here was computed by a separate Python script from the same rules and is re-derived by
// the C++ encoders in fixture_test.cpp. Shared by this layer's tests, and meant for the sync
// engine's tests too.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cf/base/bytes.hpp"

namespace cf::crdt::golden {

inline Bytes hex(std::string_view h) {
  auto nibble = [](char c) { return c <= '9' ? c - '0' : c - 'a' + 10; };
  Bytes out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(nibble(h[i]) * 16 + nibble(h[i + 1])));
  }
  return out;
}

// The pinned content and the one allocation of the sample pin (ipfs-cluster
// state/dsstate/datastore_test.go).
inline constexpr std::string_view pin_cid = "QmP63DkAFEnDYNjDYBpyNDfttu1fvUw99x1brscPzpqmmq";
inline constexpr std::string_view allocation = "QmXZrtE5jQwXNqCJMfHUTQkvhQ4ZAnqMnmzFMJfLewuabc";
// Its CRDT key: "/" + base32 upper of the CIDv0 bytes.
inline constexpr std::string_view pin_key = "/CIQAWHLNSWVOD7E2KSWW5MMNS2FPEOZHYUP3M3MLYIOMTGPK54QIO2A";

// api.pb.Pin (94 bytes): DataType, Allocations [allocation], MaxDepth -1, Options {RF -1/-1,
// Name "test"}, Timestamp 1700000000.
inline constexpr std::string_view pin_hex =
    "0a2212200b1d6d95aae1fc9a54ad6eb18d968af23b27c51fb66d8bc21cc999eaef20876810011a221220891b7fa3"
    "052191f91b71a5fa469477bb618d9a97915b71ff243ad8b883dae9db2001320a080110011a04746573743880e2cf"
    "aa06";

// Node A (162 bytes): no links; delta {elements: [{pin_key, pin}], priority 1}.
inline constexpr std::string_view node_a_hex =
    "0a9f010a9a010a382f4349514157484c4e5357564f443745324b535757354d4d4e53324650454f5a48595550334d"
    "334d4c59494f4d5447504b353451494f32411a5e0a2212200b1d6d95aae1fc9a54ad6eb18d968af23b27c51fb66d"
    "8bc21cc999eaef20876810011a221220891b7fa3052191f91b71a5fa469477bb618d9a97915b71ff243ad8b883da"
    "e9db2001320a080110011a04746573743880e2cfaa061801";
inline constexpr std::string_view node_a_cid = "bafybeictza3znzqisvosahvpizurp3ccoyw4dmzb6fcmwgbgdcts52crsy";
inline constexpr std::string_view node_a_id = "/CIQFHSBXS3TARFK5EAPK6RTJC7WEE5RNYGZSD4KEZMMCMGFHF3UFDFQ";

// Node B (166 bytes): link → A; delta {tombstones: [{pin_key, node_a_id}], priority 2}.
inline constexpr std::string_view node_b_hex =
    "122a0a240170122053c83796e608955d201eaf466917ec42762dc1b321f144cb182618a72ee85196120018000a78"
    "12740a382f4349514157484c4e5357564f443745324b535757354d4d4e53324650454f5a48595550334d334d4c59"
    "494f4d5447504b353451494f324112382f43495146485342585333544152464b354541504b3652544a4337574545"
    "35524e59475a5344344b455a4d4d434d474648463355464446511802";
inline constexpr std::string_view node_b_cid = "bafybeid7lv6vfufpkzovhfevpk6oo5t76adlvdfkvc7p53erdsstb5isve";
inline constexpr std::string_view node_b_id = "/CIQH6XL5KLIK6VS5KOKJK6V4453H74AGXKGKVKF673WJCHFFGD2RFKI";

// The broadcast announcing B.
inline constexpr std::string_view broadcast_b_hex =
    "0a260a24017012207f5d7d52d0af565d5394957abce7767ff006ba8caaa8befeec911ca530f512a9";

// Extensions (§6.2 "Extend with"). C and D: concurrent children of A at equal priority 2,
// each putting pin_key with a different value ("value-c" < "value-d" byte-wise, so D's value
// wins the tie).
inline constexpr std::string_view node_c_hex =
    "122a0a240170122053c83796e608955d201eaf466917ec42762dc1b321f144cb182618a72ee85196120018000a47"
    "0a430a382f4349514157484c4e5357564f443745324b535757354d4d4e53324650454f5a48595550334d334d4c59"
    "494f4d5447504b353451494f32411a0776616c75652d631802";
inline constexpr std::string_view node_c_cid = "bafybeiblxhu5fsy5yw3qzrm34dfz37y4en5od3ez5hfnjudsav2x6uup3i";
inline constexpr std::string_view node_c_id = "/CIQCXOPJ2LFR3RNXBTCZXYGLTX7RYI324HWJT2OK2TIHEBLVP5JI7WQ";
inline constexpr std::string_view node_d_hex =
    "122a0a240170122053c83796e608955d201eaf466917ec42762dc1b321f144cb182618a72ee85196120018000a47"
    "0a430a382f4349514157484c4e5357564f443745324b535757354d4d4e53324650454f5a48595550334d334d4c59"
    "494f4d5447504b353451494f32411a0776616c75652d641802";
inline constexpr std::string_view node_d_cid = "bafybeifrlugszjdwpou5ef52tikk3cbnk7cbcfihvrrmwbpiyuwezpon6m";
inline constexpr std::string_view node_d_id = "/CIQLCXINFSSHM65J2IL3VGQUVWEC2V6ECEKQPLDCZMC6RRJMJS6434Y";

// E: the merge of C and D (links C then D), a batch delta putting "/other" twice ("x", "y"),
// priority 3.
inline constexpr std::string_view node_e_hex =
    "122a0a24017012202bb9e9d2cb1dc5b70cc59be0cb9dff1c237ae1ec99e9cad4d07205757f528fda12001800122a"
    "0a2401701220b15d0d2ca4767ba9d217ba9a14ad882d57c4111507ac62cb05e8c52c4cbdcdf3120018000a1c0a0b"
    "0a062f6f746865721a01780a0b0a062f6f746865721a01791803";
inline constexpr std::string_view node_e_cid = "bafybeihr7tiq5edkbqzylwjebfmrvc2saougodikrg57ux7r2hhoo23q2m";
inline constexpr std::string_view node_e_id = "/CIQPD7GRB2IGUDBTQXMSICKZDKFVEA5IM4GQVCN37JP7DUOO45VXBUY";

// F: a child of A that links to it as a CIDv0 (pre-2021 writers); puts "/f" = "v", priority 2.
inline constexpr std::string_view node_f_hex =
    "12280a22122053c83796e608955d201eaf466917ec42762dc1b321f144cb182618a72ee85196120018000a0b0a07"
    "0a022f661a01761802";
inline constexpr std::string_view node_f_cid = "bafybeidpfjbnbquq6ydxqjyryuzmxvno4vr4zc6xbdbluuasqncmky5qwi";

// G: a child of A written Data-before-Links; puts "/g" = "w", priority 2.
inline constexpr std::string_view node_g_hex =
    "0a0b0a070a022f671a01771802122a0a240170122053c83796e608955d201eaf466917ec42762dc1b321f144cb18"
    "2618a72ee8519612001800";
inline constexpr std::string_view node_g_cid = "bafybeieqesjhjab7renj7udszkmb3h7u5flfawwav2ijwq3ik5dbmapnly";

}  // namespace cf::crdt::golden
