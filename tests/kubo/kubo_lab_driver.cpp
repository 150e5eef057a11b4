// cf_kubo_lab_driver: runs one kubo::Client call against a real Kubo and prints the outcome,
// for tests/lab/kubo_connector_test.sh (the kubo layer has no CLI of its own yet).
//
//   cf_kubo_lab_driver pin-add <api-url> <cid> [--direct] [--max-depth N] [--name N] [--timeout-ms N]
//   cf_kubo_lab_driver pin-rm <api-url> <cid> [--timeout-ms N]
//   cf_kubo_lab_driver pin-ls <api-url> <recursive|direct|all>
//   cf_kubo_lab_driver pin-ls-one <api-url> <cid>
//   cf_kubo_lab_driver pin-update <api-url> <from> <to> [--timeout-ms N]
//   cf_kubo_lab_driver swarm-connect <api-url> <multiaddr> [--timeout-ms N]
//   cf_kubo_lab_driver repo-stat <api-url>
//
// Prints results on stdout; a failure prints "error <errc>: <message>" and exits 1; bad usage
// exits 64.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "cf/kubo/client.hpp"

namespace {

using namespace cf;
using std::chrono::milliseconds;

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;  // "--direct" maps to ""
};

Args parse_args(int argc, char** argv) {
  Args a;
  for (int i = 2; i < argc; ++i) {
    std::string s = argv[i];
    if (s == "--direct") {
      a.flags[s] = "";
    } else if (s.starts_with("--") && i + 1 < argc) {
      a.flags[s] = argv[++i];
    } else {
      a.positional.push_back(s);
    }
  }
  return a;
}

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "usage error: " << why << "\n";
  std::exit(64);
}

std::string errc_name(const Error& e) {
  if (e.code().category() != kubo::kubo_category()) return e.code().category().name();
  switch (static_cast<kubo::errc>(e.code().value())) {
    case kubo::errc::unreachable: return "unreachable";
    case kubo::errc::timed_out: return "timed_out";
    case kubo::errc::api_error: return "api_error";
    case kubo::errc::http_error: return "http_error";
    case kubo::errc::bad_response: return "bad_response";
    case kubo::errc::transport_failed: return "transport_failed";
    case kubo::errc::stream_error: return "stream_error";
    case kubo::errc::pin_timeout: return "pin_timeout";
    case kubo::errc::not_pinned: return "not_pinned";
  }
  return "unknown";
}

int report(const Error& e) {
  std::cout << "error " << errc_name(e) << ": " << e.message() << std::endl;
  return 1;
}

multiformats::Cid cid_arg(const std::string& text) {
  auto c = multiformats::Cid::parse(text);
  if (!c) usage("bad CID " + text + ": " + c.error().message());
  return *c;
}

milliseconds timeout_arg(const Args& a, milliseconds fallback) {
  auto it = a.flags.find("--timeout-ms");
  return it == a.flags.end() ? fallback : milliseconds(std::stoll(it->second));
}

int pin_add(kubo::Client& client, const Args& a) {
  if (a.positional.size() != 2) usage("pin-add <api-url> <cid>");
  kubo::PinAddOptions o;
  if (a.flags.contains("--direct")) o.mode = kubo::PinMode::direct();
  if (auto it = a.flags.find("--max-depth"); it != a.flags.end()) {
    o.mode = kubo::PinMode::max_depth(std::stoi(it->second));
  }
  if (auto it = a.flags.find("--name"); it != a.flags.end()) o.name = it->second;
  o.pin_timeout = timeout_arg(a, std::chrono::minutes(2));
  o.on_progress = [](const kubo::PinProgress& p) {
    std::cout << "progress nodes=" << p.nodes << " bytes=" << p.bytes << std::endl;
  };
  auto r = client.pin_add(cid_arg(a.positional[1]), o);
  if (!r) return report(r.error());
  std::cout << "pinned";
  for (const auto& c : r->pins) std::cout << " " << c.to_string();
  std::cout << "\nfinal nodes=" << r->progress.nodes << " bytes=" << r->progress.bytes << std::endl;
  return 0;
}

int pin_ls(kubo::Client& client, const Args& a) {
  if (a.positional.size() != 2) usage("pin-ls <api-url> <recursive|direct|all>");
  const auto& t = a.positional[1];
  auto type = t == "recursive" ? kubo::PinLsType::recursive
              : t == "direct"  ? kubo::PinLsType::direct
              : t == "all"     ? kubo::PinLsType::all
                               : (usage("unknown pin type " + t), kubo::PinLsType::all);
  auto r = client.pin_ls(type, [](const kubo::PinEntry& e) {
    std::cout << e.cid.to_string() << " " << kubo::to_string(e.type) << " " << e.name << "\n";
  });
  if (!r) return report(r.error());
  std::cout << "count " << *r << std::endl;
  return 0;
}

int pin_ls_one(kubo::Client& client, const Args& a) {
  if (a.positional.size() != 2) usage("pin-ls-one <api-url> <cid>");
  auto r = client.pin_ls_one(cid_arg(a.positional[1]));
  if (!r) return report(r.error());
  if (!r->has_value()) {
    std::cout << "not pinned" << std::endl;
  } else {
    std::cout << "type=" << (*r)->type_text << " name=" << (*r)->name << std::endl;
  }
  return 0;
}

int simple_call(kubo::Client& client, const std::string& command, const Args& a) {
  auto timeout = timeout_arg(a, std::chrono::minutes(1));
  const auto& p = a.positional;
  if (command == "pin-rm") {
    if (p.size() != 2) usage("pin-rm <api-url> <cid>");
    auto r = client.pin_rm(cid_arg(p[1]), timeout);
    if (!r) return report(r.error());
    std::cout << (r->was_pinned ? "removed" : "not pinned") << std::endl;
  } else if (command == "pin-update") {
    if (p.size() != 3) usage("pin-update <api-url> <from> <to>");
    auto r = client.pin_update(cid_arg(p[1]), cid_arg(p[2]), timeout);
    if (!r) return report(r.error());
    std::cout << "updated" << std::endl;
  } else if (command == "swarm-connect") {
    if (p.size() != 2) usage("swarm-connect <api-url> <multiaddr>");
    auto addr = multiformats::Multiaddr::parse(p[1]);
    if (!addr) usage("bad multiaddr: " + addr.error().message());
    auto r = client.swarm_connect(*addr, timeout);
    if (!r) return report(r.error());
    std::cout << "connected" << std::endl;
  } else if (command == "repo-stat") {
    auto r = client.repo_stat();
    if (!r) return report(r.error());
    std::cout << "repo_size=" << r->repo_size << " storage_max=" << r->storage_max << std::endl;
  } else {
    usage("unknown command " + command);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) usage("cf_kubo_lab_driver <command> <api-url> ...");
  std::string command = argv[1];
  auto args = parse_args(argc, argv);
  kubo::ClientOptions options;
  options.endpoint = {args.positional.at(0), ""};
  options.timeout = std::chrono::seconds(60);
  kubo::Client client(options);
  if (command == "pin-add") return pin_add(client, args);
  if (command == "pin-ls") return pin_ls(client, args);
  if (command == "pin-ls-one") return pin_ls_one(client, args);
  return simple_call(client, command, args);
}
