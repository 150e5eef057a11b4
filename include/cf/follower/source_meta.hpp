// Keys of state.db's meta table where the pinset source records how it is doing, so that
// `status` and `info` can report the sync lag without talking to the daemon.
#pragma once

#include <string_view>

namespace cf::follower::meta_key {

inline constexpr std::string_view source_last_sync = "source_last_sync";    // Unix seconds
inline constexpr std::string_view source_last_error = "source_last_error";  // text, "" when fine
inline constexpr std::string_view source_kind = "source_kind";              // "rest" (later "crdt")

}  // namespace cf::follower::meta_key
