#include "cf/kubo/pins.hpp"

namespace cf::kubo {

std::string_view to_string(PinType type) {
  switch (type) {
    case PinType::recursive: return "recursive";
    case PinType::direct: return "direct";
    case PinType::indirect: return "indirect";
  }
  return "unknown";
}

std::string_view to_string(PinLsType type) {
  switch (type) {
    case PinLsType::recursive: return "recursive";
    case PinLsType::direct: return "direct";
    case PinLsType::all: return "all";
  }
  return "all";
}

}  // namespace cf::kubo
