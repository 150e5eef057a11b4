// libFuzzer-ready entry point for the DNS reply decoder (fuzz/dns_reply_fuzz.cpp wraps it;
// tests/p2p/dns/fuzz_entry_test.cpp drives it with pseudo-random inputs).
#pragma once

#include <cstddef>
#include <cstdint>

// Decodes `data` as a reply to a TXT query for "_dnsaddr.example.com" whose ID is the input's
// first two bytes (so the header check passes and the fuzzer reaches the records), checks
// that no decoded TXT text is longer than the input, and passes the strings through
// select_dnsaddr_records for a /dnsaddr address with a /p2p suffix. Also reads the input as
// resolv.conf text. Never fails on any input; aborts on a broken invariant; returns 0.
int fuzz_dns_reply(const std::uint8_t* data, std::size_t size);
