#include "cf/cluster/local_config.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "cf/cluster/errc.hpp"
#include "cf/cluster/source.hpp"
#include "template_internal.hpp"

namespace cf::cluster {
namespace {

// Decodes one UTF-8 sequence at s[i] the way Go's utf8.DecodeRuneInString does: returns the
// code point and its length, or -1 and 1 for an invalid byte (overlong, surrogate, too big,
// truncated).
std::pair<long, std::size_t> decode_utf8(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  std::size_t len = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 ? 2 : 0;
  if (len == 0 || b0 > 0xF4 || i + len > s.size()) return {-1, 1};
  long cp = b0 & (0xFF >> (len + 1));
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {-1, 1};
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr long min_for_len[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min_for_len[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {-1, 1};
  return {cp, len};
}

Error io_error(const std::filesystem::path& file, const std::string& what) {
  return Error(errc::io_failed, what + " " + file.string() + ": " + std::strerror(errno));
}

}  // namespace

std::string go_json_quote(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out += "\\u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    auto [cp, len] = decode_utf8(s, i);
    if (cp < 0) {
      out += "\\ufffd";
    } else if (cp == 0x2028 || cp == 0x2029) {
      out += cp == 0x2028 ? "\\u2028" : "\\u2029";  // JavaScript line separators
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out + "\"";
}

Result<LocalConfig> parse_local_config(std::string_view text) {
  std::string problem;
  auto doc = detail::parse_json(text, problem, "");
  if (!doc) return Error(errc::invalid_local_config, problem);
  if (!doc->is_object()) {
    return Error(errc::invalid_local_config,
                 "must be a JSON object, got " + detail::json_type_name(*doc));
  }
  if (auto it = doc->find("source"); it != doc->end() && !it->is_null()) {
    if (!it->is_string()) {
      return Error(errc::invalid_local_config,
                   "\"source\" must be a string, got " + detail::json_type_name(*it));
    }
    if (auto source = it->get<std::string>(); !source.empty()) {
      // An older init stored anything: refuse it here, before run, info or doctor quote it.
      if (auto usable = check_template_url(source); !usable) {
        return Error(errc::invalid_local_config, "\"source\": " + usable.error().message() +
                                                     "; run init again with a usable URL");
      }
      return LocalConfig{source, {}};
    }
  }
  CF_TRY_ASSIGN(t, parse_template(text));
  return LocalConfig{"", std::move(t)};
}

Result<LocalConfig> load_local_config(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return io_error(file, "cannot open");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return io_error(file, "cannot read");
  auto config = parse_local_config(text.str());
  if (!config) return config.error().wrap(file.string());
  return config;
}

std::string to_json(const LocalConfig& config) {
  if (config.inline_template) {
    std::string problem;
    auto doc = detail::parse_json(config.inline_template->raw_json, problem);
    if (doc) return doc->dump(2);
  }
  return "{\n  \"source\": " + go_json_quote(config.source) + "\n}";
}

Status save_local_config(const std::filesystem::path& file, const LocalConfig& config) {
  auto text = to_json(config);
  auto tmp = file;
  tmp += ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return io_error(tmp, "cannot create");
  bool good = ::fchmod(fd, 0600) == 0;
  for (std::size_t done = 0; good && done < text.size();) {
    auto n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    good = n > 0;
    if (good) done += static_cast<std::size_t>(n);
  }
  good = good && ::fsync(fd) == 0;
  auto saved_errno = errno;
  ::close(fd);
  errno = saved_errno;
  if (!good || ::rename(tmp.c_str(), file.c_str()) != 0) {
    auto error = io_error(file, "cannot write");
    ::unlink(tmp.c_str());
    return error;
  }
  return ok();
}

}  // namespace cf::cluster
