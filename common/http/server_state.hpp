#pragma once
// What the server and its connections share. Owned by Server::Impl, which outlives every
// connection: Run() returns only when every connection's thread has deregistered itself.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <unordered_map>

#include "http/handler_slots.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace hotorder::http {

// An eventfd that becomes readable, for good, once the server begins to drain: every idle
// connection's wait watches it, so idle connections close at once.
class StopEvent {
 public:
  StopEvent();  // throws std::system_error when no descriptor is left
  ~StopEvent();
  StopEvent(const StopEvent&) = delete;
  StopEvent& operator=(const StopEvent&) = delete;
  int fd() const noexcept { return fd_; }
  void Signal() noexcept;

 private:
  int fd_;
};

struct ServerState {
  ServerState(ServerOptions options_in, Router router_in, ServerTelemetry telemetry_in,
              ReadinessCheck ready_in)
      : options(std::move(options_in)),
        router(std::move(router_in)),
        telemetry(std::move(telemetry_in)),
        ready(std::move(ready_in)),
        slots(static_cast<std::size_t>(options.max_handlers), options.max_waiting_requests) {}

  const ServerOptions options;
  const Router router;
  const ServerTelemetry telemetry;
  const ReadinessCheck ready;
  HandlerSlots slots;
  StopEvent stop;

  // Set once when the graceful shutdown begins: connections stop keeping alive.
  std::atomic<bool> draining{false};

  // Guards `connections` and `shutdown_requested`; `changed` is notified when either changes.
  std::mutex mutex;
  std::condition_variable changed;
  // Every open connection's socket by connection number, so the end of the grace period can
  // shut them down; a connection closes its socket only while removing it from here, under the
  // mutex, so a descriptor found here is never one the kernel has reused. The size is the
  // open-connection count max_connections limits.
  std::unordered_map<std::uint64_t, int> connections;
  std::uint64_t next_connection = 0;
  bool shutdown_requested = false;
};

}  // namespace hotorder::http
