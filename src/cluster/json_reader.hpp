// Reads typed values out of one JSON object of the template, recording a problem line per bad
// key instead of stopping. Private to the cluster layer (nlohmann stays out of public headers).
#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cf/cluster/duration.hpp"
#include "cf/multiformats/multiaddr.hpp"

namespace cf::cluster::detail {

using Json = nlohmann::json;

// Problem lines plus the key paths they are about, so that later checks can skip keys that
// already failed (one line per problem, never two for the same cause).
struct Problems {
  std::vector<std::string> lines;
  std::set<std::string> failed_paths;
  std::vector<std::string> warnings;  // "template: <path>: ..." for values that were adjusted

  void add(const std::string& path, const std::string& what);  // "template: <path>: <what>"
  void add_line(const std::string& path, std::string line);     // a line of another shape
  // True when `path` or one of its parents failed ("cluster.x" under a failed "cluster").
  bool failed(std::string_view path) const;
};

// "string", "number", "boolean", "array", "object", "null"
std::string json_type_name(const Json& value);

// One JSON object at `path` ("cluster", "consensus.crdt"); absent when the template lacks it.
// Keys holding null count as absent, as Go's encoding/json leaves the field unchanged.
class Reader {
 public:
  Reader(const Json* object, std::string path, Problems& problems)
      : object_(object), path_(std::move(path)), problems_(problems) {}

  bool present() const { return object_ != nullptr; }
  const std::string& path() const { return path_; }
  std::string key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
  }
  const Json* find(std::string_view key) const;
  void problem(std::string_view key, const std::string& what) { problems_.add(key_path(key), what); }

  // A child object; a non-object value is a problem and reads as absent.
  Reader child(std::string_view key);

  // Each leaves `out` alone when the key is absent or wrong.
  void string(std::string_view key, std::string& out, bool empty_keeps_default = false);
  void boolean(std::string_view key, bool& out);
  // Go's SetIfNotDefault: with zero_keeps_default, 0 means "use the default".
  void integer(std::string_view key, int& out, bool zero_keeps_default = false);
  // Go duration strings; "" keeps the default (config.ParseDurations). Beyond
  // ±max_template_duration the value is clamped, with a warning.
  void duration(std::string_view key, Duration& out);
  // An array of strings (or, with single_ok, also one string: config.Strings).
  bool strings(std::string_view key, std::vector<std::string>& out, bool single_ok = false);
  void multiaddrs(std::string_view key, std::vector<multiformats::Multiaddr>& out,
                  bool single_ok = false);

 private:
  const Json* object_;
  std::string path_;
  Problems& problems_;
};

// The reason part of a multiformats error, without its 'multiaddr "<text>": ' preamble.
std::string multiformats_reason(const Error& e);

}  // namespace cf::cluster::detail
