// libFuzzer target: the follower template (service.json) checker and parser. The two must
// agree, as template.hpp promises: parse_template fails exactly when template_problems
// reports something, and a template that parses passes validate().
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cf/cluster/template.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace cl = cf::cluster;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto problems = cl::template_problems(text);
  const auto parsed = cl::parse_template(text);
  if (parsed.has_value() != problems.empty()) std::abort();
  if (parsed && !cl::validate(*parsed).empty()) std::abort();
  return 0;
}
