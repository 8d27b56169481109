#pragma once
// What the server and its connections share. Owned by Server::Impl, which outlives every
// connection: the I/O threads are joined and the worker pool stopped before it goes away, and
// the io_context (destroying any connection still referenced by a pending handler) is destroyed
// before it.

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "http/router.hpp"
#include "http/server.hpp"
#include "http/worker_pool.hpp"

namespace hotorder::http {

class Session;

struct ServerState {
  ServerState(ServerOptions options_in, Router router_in, ServerTelemetry telemetry_in,
              ReadinessCheck ready_in)
      : options(std::move(options_in)),
        router(std::move(router_in)),
        telemetry(std::move(telemetry_in)),
        ready(std::move(ready_in)),
        pool(options.worker_threads, options.max_queued_requests) {}

  const ServerOptions options;
  const Router router;
  const ServerTelemetry telemetry;
  const ReadinessCheck ready;
  WorkerPool pool;

  // Set once when the graceful shutdown begins: connections stop keeping alive.
  std::atomic<bool> draining{false};

  // Guards `sessions` and `shutdown_requested`; `changed` is notified when either changes.
  std::mutex mutex;
  std::condition_variable changed;
  // Every open connection, so shutdown can reach idle ones; a connection removes itself in its
  // destructor. The size is the open-connection count max_connections limits.
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  bool shutdown_requested = false;
};

}  // namespace hotorder::http
