#include "cf/p2p/identify/service.hpp"

#include <array>
#include <string>
#include <utility>

#include "cf/base/log.hpp"
#include "cf/base/printable.hpp"
#include "cf/p2p/conn/errc.hpp"
#include "cf/p2p/identify/identify.hpp"
#include "cf/p2p/identify/stream.hpp"

namespace cf::p2p::identify {
namespace {

std::shared_ptr<spdlog::logger> logger() { return log::get("host"); }

IdentifyFacts facts_of(IdentifyInfo info) {
  return IdentifyFacts{.protocols = std::move(info.protocols),
                       .listen_addrs = std::move(info.listen_addrs),
                       .agent_version = std::move(info.agent_version),
                       .protocol_version = std::move(info.protocol_version),
                       .public_key = std::move(info.public_key)};
}

}  // namespace

Service::Service(Host& host, ServiceConfig config)
    : host_(host), config_(config), tasks_(host.executor(), logger()) {
  host_.set_handler(std::string(protocol_id), [this](Stream s) { return serve(std::move(s)); });
  subscription_ = host_.subscribe([this](const ConnectionEvent& e) { on_event(e); });
}

Service::~Service() { host_.remove_handler(std::string(protocol_id)); }

void Service::on_event(const ConnectionEvent& event) {
  if (event.kind == ConnectionEventKind::connected) {
    start(event.connection);
  } else if (event.kind == ConnectionEventKind::disconnected) {
    auto it = attempts_.find(event.connection.get());
    if (it != attempts_.end()) {
      if (!it->second->outcome) it->second->outcome = Error(p2p::errc::connection_closed);
      it->second->done.notify();
      attempts_.erase(it);
    }
  }
}

std::shared_ptr<Service::Attempt> Service::start(const std::shared_ptr<Connection>& connection) {
  auto& slot = attempts_[connection.get()];
  if (slot) return slot;
  slot = std::make_shared<Attempt>(host_.executor());
  if (stopped_) {
    slot->outcome = Error(p2p::errc::host_stopped);
  } else {
    tasks_.spawn(identify_remote(connection, slot), "identify");
  }
  return slot;
}

Task<Status> Service::wait_identified(std::shared_ptr<Connection> connection) {
  if (connection->is_closed()) co_return Error(p2p::errc::connection_closed);
  auto attempt = start(connection);
  while (!attempt->outcome) {
    co_await attempt->done.wait();
    if (co_await stop_requested()) co_return Error(cf::errc::cancelled);
  }
  co_return *attempt->outcome;
}

Task<void> Service::identify_remote(std::shared_ptr<Connection> connection, std::shared_ptr<Attempt> attempt) {
  auto status = co_await with_timeout(exchange(*connection), config_.timeout, "identify");
  if (!status) {
    logger()->warn("identify {}: {}", connection->remote_peer().to_string(), status.error().message());
  }
  attempt->outcome = status;
  attempt->done.notify();
}

Task<Status> Service::exchange(Connection& connection) {
  CF_CO_TRY_ASSIGN(stream, co_await connection.open_stream(std::string(protocol_id)));
  CF_CO_TRY(stream.close_write());
  MessageReader reader(connection.remote_peer());
  std::array<std::uint8_t, 8 * 1024> buf;
  for (;;) {
    CF_CO_TRY_ASSIGN(n, co_await stream.read(buf));
    if (n == 0) break;
    CF_CO_TRY(reader.on_bytes(ByteView(buf.data(), n)));
  }
  CF_CO_TRY_ASSIGN(decoded, reader.on_eof());
  const auto& info = decoded.info;
  logger()->info("identified {}: agent {}, {} protocols", connection.remote_peer().to_string(),
                 printable(info.agent_version.value_or("?")), info.protocols.size());
  host_.notify_identified(connection.shared_from_this(), facts_of(std::move(decoded.info)));
  co_return ok();
}

Task<void> Service::serve(Stream stream) {
  auto& connection = stream.connection();
  auto info = own_identify(host_.public_key_proto(), host_.protocols(), host_.listen_addrs(), connection.remote_addr());
  auto written = co_await with_timeout(stream.write(encode_identify_frames(info)), config_.timeout, "identify reply");
  if (written) written = stream.close_write();
  if (!written) logger()->debug("identify reply to {}: {}", connection.remote_peer().to_string(), written.error().message());
}

Task<void> Service::stop() {
  stopped_ = true;
  subscription_.reset();
  tasks_.cancel();
  co_await tasks_.wait_idle();
  for (auto& [connection, attempt] : attempts_) {
    if (!attempt->outcome) attempt->outcome = Error(p2p::errc::host_stopped);
    attempt->done.notify();
  }
}

}  // namespace cf::p2p::identify
