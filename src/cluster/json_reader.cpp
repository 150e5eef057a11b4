#include "json_reader.hpp"

#include <limits>

namespace cf::cluster::detail {

void Problems::add(const std::string& path, const std::string& what) {
  add_line(path, "template: " + path + ": " + what);
}

void Problems::add_line(const std::string& path, std::string line) {
  lines.push_back(std::move(line));
  failed_paths.insert(path);
  // A bad element fails its list too: "x[1]" bad → no second line saying "x is empty".
  if (path.ends_with(']')) failed_paths.insert(path.substr(0, path.rfind('[')));
}

bool Problems::failed(std::string_view path) const {
  for (const auto& f : failed_paths) {
    if (path == f) return true;
    if (path.size() > f.size() && path.starts_with(f) &&
        (path[f.size()] == '.' || path[f.size()] == '[')) {
      return true;
    }
  }
  return false;
}

std::string json_type_name(const Json& value) {
  switch (value.type()) {
    case Json::value_t::string: return "string";
    case Json::value_t::boolean: return "boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "number";
    case Json::value_t::array: return "array";
    case Json::value_t::object: return "object";
    case Json::value_t::null: return "null";
    default: return "value";
  }
}

const Json* Reader::find(std::string_view key) const {
  if (object_ == nullptr) return nullptr;
  auto it = object_->find(key);
  if (it == object_->end() || it->is_null()) return nullptr;
  return &*it;
}

Reader Reader::child(std::string_view key) {
  const Json* value = find(key);
  if (value != nullptr && !value->is_object()) {
    problem(key, "must be an object, got " + json_type_name(*value));
    value = nullptr;
  }
  return Reader(value, key_path(key), problems_);
}

void Reader::string(std::string_view key, std::string& out, bool empty_keeps_default) {
  const Json* value = find(key);
  if (value == nullptr) return;
  if (!value->is_string()) {
    problem(key, "must be a string, got " + json_type_name(*value));
    return;
  }
  auto s = value->get<std::string>();
  if (s.empty() && empty_keeps_default) return;
  out = std::move(s);
}

void Reader::boolean(std::string_view key, bool& out) {
  const Json* value = find(key);
  if (value == nullptr) return;
  if (!value->is_boolean()) {
    problem(key, "must be true or false, got " + json_type_name(*value));
    return;
  }
  out = value->get<bool>();
}

void Reader::integer(std::string_view key, int& out, bool zero_keeps_default) {
  const Json* value = find(key);
  if (value == nullptr) return;
  if (!value->is_number_integer()) {
    // A number's text is short by nature (a double or a 64-bit integer), so quoting it is safe.
    auto what = value->is_number() ? "a fraction (" + value->dump() + ")" : json_type_name(*value);
    problem(key, "must be an integer, got " + what);
    return;
  }
  bool fits = value->is_number_unsigned()
                  ? value->get<std::uint64_t>() <= std::numeric_limits<int>::max()
                  : value->get<std::int64_t>() >= std::numeric_limits<int>::min() &&
                        value->get<std::int64_t>() <= std::numeric_limits<int>::max();
  if (!fits) {
    problem(key, "integer " + value->dump() + " is out of range");
    return;
  }
  int n = value->get<int>();
  if (n == 0 && zero_keeps_default) return;
  out = n;
}

void Reader::duration(std::string_view key, Duration& out) {
  const Json* value = find(key);
  if (value == nullptr) return;
  if (!value->is_string()) {
    problem(key, "must be a duration string such as \"1m30s\", got " + json_type_name(*value));
    return;
  }
  auto text = value->get<std::string>();
  if (text.empty()) return;
  auto parsed = parse_duration(text);
  if (!parsed) {
    problem(key, "invalid duration: " + parsed.error().message());
    return;
  }
  out = clamp_template_duration(*parsed);
  if (out != *parsed) {
    problems_.warnings.push_back("template: " + key_path(key) + ": " + format_duration(*parsed) +
                                 " is beyond the " + format_duration(max_template_duration) +
                                 " limit; using " + format_duration(out));
  }
}

bool Reader::strings(std::string_view key, std::vector<std::string>& out, bool single_ok) {
  const Json* value = find(key);
  if (value == nullptr) return false;
  if (single_ok && value->is_string()) {
    auto s = value->get<std::string>();
    out.clear();
    if (!s.empty()) out.push_back(std::move(s));
    return true;
  }
  if (!value->is_array()) {
    problem(key, std::string(single_ok ? "must be a string or an array of strings" : "must be an array of strings") +
                     ", got " + json_type_name(*value));
    return false;
  }
  std::vector<std::string> items;
  bool all_ok = true;
  for (std::size_t i = 0; i < value->size(); ++i) {
    const auto& item = (*value)[i];
    if (!item.is_string()) {
      problems_.add(key_path(key) + "[" + std::to_string(i) + "]",
                    "must be a string, got " + json_type_name(item));
      all_ok = false;
      continue;
    }
    items.push_back(item.get<std::string>());
  }
  if (!all_ok) return false;
  out = std::move(items);
  return true;
}

void Reader::multiaddrs(std::string_view key, std::vector<multiformats::Multiaddr>& out,
                        bool single_ok) {
  std::vector<std::string> texts;
  if (!strings(key, texts, single_ok)) return;
  const Json* value = find(key);
  bool single = value->is_string();
  std::vector<multiformats::Multiaddr> parsed;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto addr = multiformats::Multiaddr::parse(texts[i]);
    if (!addr) {
      auto where = single ? key_path(key) : key_path(key) + "[" + std::to_string(i) + "]";
      problems_.add(where, "invalid multiaddr \"" + texts[i] + "\": " + multiformats_reason(addr.error()));
      continue;
    }
    parsed.push_back(std::move(*addr));
  }
  out = std::move(parsed);
}

std::string multiformats_reason(const Error& e) {
  auto message = e.message();
  // 'multiaddr "/ip4/x": bad value' → 'bad value'; the caller quotes the input itself.
  if (message.starts_with("multiaddr \"") || message.starts_with("peer ID \"") ||
      message.starts_with("peer id \"")) {
    auto close = message.find("\": ");
    if (close != std::string::npos) return message.substr(close + 3);
  }
  return message;
}

}  // namespace cf::cluster::detail
