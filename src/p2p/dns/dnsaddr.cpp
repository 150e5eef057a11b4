// /dnsaddr/ resolution (see cf/p2p/dns/dnsaddr.hpp).
#include "cf/p2p/dns/dnsaddr.hpp"

#include <algorithm>
#include <deque>
#include <optional>

#include <fmt/format.h>

#include "cf/base/log.hpp"
#include "cf/p2p/dns/client.hpp"

namespace cf::p2p::dns {
namespace {

namespace mf = cf::multiformats;

// Text from DNS (a host name inside a dnsaddr value) made fit for an error message or a log
// line: printable ASCII kept, other bytes as \xNN, at most 300 characters.
std::string printable(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    if (out.size() >= 300) return out + "...";
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      out += "\\x";
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 0xf]);
    }
  }
  return out;
}

bool ends_with_components(const std::vector<mf::MultiaddrComponent>& parts,
                          const std::vector<mf::MultiaddrComponent>& suffix) {
  if (parts.size() < suffix.size()) return false;
  const auto offset = parts.size() - suffix.size();
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    if (parts[offset + i].code != suffix[i].code || parts[offset + i].raw != suffix[i].raw) return false;
  }
  return true;
}

struct Pending {
  mf::Multiaddr address;
  std::size_t depth = 0;
};

// What the walk saw, for the error when nothing is left.
struct Tally {
  std::size_t values = 0;
  std::size_t kept = 0;
  std::size_t other_suffix = 0;
  std::size_t skipped = 0;  // nested /dnsaddr values past max_depth or max_lookups
  std::optional<Error> nested_failure;
};

Error nothing_found(const mf::Multiaddr& address, const std::string& name, const Tally& tally) {
  const auto where = "resolving " + printable(address.to_string()) + ": ";
  if (tally.other_suffix > 0 && tally.kept == 0) {
    const auto id = address.peer_id();
    const auto wanted = id ? "/p2p/" + id->to_string() : std::string("its trailing components");
    return Error(errc::peer_id_mismatch, fmt::format("{}{} dnsaddr record(s) under {}, none for {}", where, tally.values,
                                                     printable(name), wanted));
  }
  auto detail = where + printable(name) + " has no usable dnsaddr= TXT record";
  if (tally.skipped > 0) {
    detail += "; " + std::to_string(tally.skipped) + " nested /dnsaddr value(s) past the depth or lookup bound";
  }
  if (tally.nested_failure) detail += "; a nested lookup failed: " + tally.nested_failure->message();
  return Error(errc::no_records, detail);
}

// The walk: breadth-first over a queue of at most max_addresses entries.
Task<Result<std::vector<mf::Multiaddr>>> resolve_all(mf::Multiaddr address, Config config) {
  const std::string top_name = dnsaddr_name_prefix + address.components().front().value;
  std::deque<Pending> queue{{address, 0}};
  std::vector<mf::Multiaddr> out;
  std::size_t lookups = 0;
  Tally tally;
  while (!queue.empty() && out.size() < config.max_addresses) {
    Pending next = std::move(queue.front());
    queue.pop_front();
    if (!is_dnsaddr(next.address)) {
      const bool seen = std::find(out.begin(), out.end(), next.address) != out.end();
      if (!seen) out.push_back(std::move(next.address));
      continue;
    }
    if (next.depth >= config.max_depth || lookups >= config.max_lookups) {
      ++tally.skipped;
      continue;
    }
    ++lookups;
    const auto name = dnsaddr_name_prefix + next.address.components().front().value;
    auto txt = co_await lookup_txt(name, config);
    if (!txt) {
      auto& failure = txt.error();
      if (next.depth == 0) co_return std::move(failure.wrap("resolving " + printable(address.to_string())));
      log::get("p2p")->debug("dnsaddr: nested lookup of {} failed: {}", printable(name), failure.message());
      if (!tally.nested_failure) tally.nested_failure = Error(failure.code(), printable(failure.message()));
      continue;
    }
    auto records = select_dnsaddr_records(*txt, next.address);
    tally.values += records.values;
    tally.kept += records.kept.size();
    tally.other_suffix += records.other_suffix;
    for (auto& record : records.kept) {
      if (queue.size() >= config.max_addresses) break;
      queue.push_back(Pending{std::move(record), next.depth + 1});
    }
  }
  if (out.empty()) co_return nothing_found(address, top_name, tally);
  co_return out;
}

}  // namespace

bool is_dnsaddr(const mf::Multiaddr& address) {
  const auto parts = address.components();
  return !parts.empty() && parts.front().code == mf::protocol_code::dnsaddr;
}

DnsaddrRecords select_dnsaddr_records(const std::vector<std::string>& txt, const mf::Multiaddr& address) {
  DnsaddrRecords out;
  auto suffix = address.components();
  if (!suffix.empty()) suffix.erase(suffix.begin());  // what follows /dnsaddr/<host>
  const std::string_view prefix = dnsaddr_txt_prefix;
  for (const auto& text : txt) {
    if (!std::string_view(text).starts_with(prefix)) continue;
    ++out.values;
    auto value = mf::Multiaddr::parse(std::string_view(text).substr(prefix.size()));
    if (!value) {
      ++out.unparsable;
      continue;
    }
    const auto parts = value->components();
    if (!ends_with_components(parts, suffix) || (!suffix.empty() && parts.size() == suffix.size())) {
      ++out.other_suffix;
      continue;
    }
    out.kept.push_back(std::move(*value));
  }
  return out;
}

Task<Result<std::vector<mf::Multiaddr>>> resolve_dnsaddr(mf::Multiaddr address, Config config) {
  if (!is_dnsaddr(address)) co_return std::vector<mf::Multiaddr>{address};
  const auto timeout = config.total_timeout;
  const auto what = "resolving " + printable(address.to_string());
  co_return co_await with_timeout(resolve_all(std::move(address), std::move(config)), timeout, what);
}

}  // namespace cf::p2p::dns
