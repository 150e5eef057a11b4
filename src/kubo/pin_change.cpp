// pin/rm and pin/update (A4, A5): upstream's Unpin and the PinUpdate step of Pin.
//
// Facts followed: pin/rm is recursive by default and answers {"Pins":[...]}; a CID that is not
// pinned, or pinned only indirectly, gives 500 "not pinned or pinned indirectly", which upstream
// counts as success. pin/update takes arg=<from>&arg=<to>; unpin defaults to true, so
// unpin=false is sent to keep the old pin, as upstream does.
#include "answer.hpp"
#include "cf/kubo/client.hpp"
#include "query.hpp"

namespace cf::kubo {

Result<PinRmResult> Client::pin_rm(const multiformats::Cid& cid, std::chrono::milliseconds timeout) {
  auto body = call("pin/rm", detail::Query().add("arg", cid.to_string()).str(), timeout);
  if (!body) {
    if (is_not_pinned(body.error())) return PinRmResult{false};
    return body.error();
  }
  auto doc = detail::parse_object(*body);
  if (!doc || !doc->contains("Pins")) {
    return failure("pin/rm", errc::bad_response, "no Pins object: " + detail::one_line(*body));
  }
  return PinRmResult{true};
}

Status Client::pin_update(const multiformats::Cid& from, const multiformats::Cid& to,
                          std::chrono::milliseconds timeout) {
  auto query = detail::Query()
                   .add("arg", from.to_string())
                   .add("arg", to.to_string())
                   .add("unpin", false)
                   .str();
  CF_TRY_ASSIGN(body, call("pin/update", query, timeout));
  auto doc = detail::parse_object(body);
  if (!doc || !doc->contains("Pins")) {
    return failure("pin/update", errc::bad_response, "no Pins object: " + detail::one_line(body));
  }
  return ok();
}

}  // namespace cf::kubo
