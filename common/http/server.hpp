#pragma once
// The HTTP/1.1 server every service runs: one thread accepts connections (and sees SIGINT and
// SIGTERM); each connection then has a thread of its own, which reads its requests, runs their
// handlers (which may block on the database or an upstream) and writes the answers, so a
// request is never handed from one thread to another. Keep-alive, a deadline on every read and
// write, at most max_handlers handlers at once.
//
// For every request except /healthz and /readyz, the server's middleware extracts the incoming
// context, starts the SERVER span ("METHOD route-template", HTTP semantic conventions), runs the
// router, ends the span, and adds `traceresponse` and `X-Trace-Id` to the response.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "config/env.hpp"
#include "http/router.hpp"
#include "log/logger.hpp"
#include "telemetry/propagation/text_map.hpp"
#include "telemetry/tracer.hpp"

namespace hotorder::http {

struct ServerOptions {
  std::string listen_address = "127.0.0.1";
  std::uint16_t port = 0;  // 0: an ephemeral port (see Server::port())
  int max_handlers = 32;  // handlers running at once; each may block on the database or upstream
  std::size_t max_waiting_requests = 1024;  // waiting for a handler; beyond, 503 "overloaded"
  std::size_t max_connections = 1024;  // a thread each; beyond, new connections are closed at once
  std::size_t max_header_bytes = 8 * 1024;    // 431 beyond
  std::size_t max_body_bytes = 1024 * 1024;   // 413 beyond
  std::chrono::milliseconds read_timeout{10'000};   // a whole request, from its first byte
  std::chrono::milliseconds write_timeout{10'000};
  std::chrono::milliseconds idle_timeout{60'000};   // between requests on a kept-alive connection
  std::chrono::milliseconds shutdown_grace{10'000};  // in-flight requests get this long to finish
};

// LISTEN_ADDR, PORT (default `default_port`), HTTP_MAX_HANDLERS, HTTP_MAX_CONNECTIONS, HTTP_READ_TIMEOUT_MS, HTTP_WRITE_TIMEOUT_MS, HTTP_IDLE_TIMEOUT_MS,
// SHUTDOWN_GRACE_MS.
ServerOptions ServerOptionsFromEnv(const config::EnvReader& env, std::uint16_t default_port);

struct ServerTelemetry {
  const telemetry::Tracer& tracer;
  const telemetry::TextMapPropagator& propagator;
  log::Logger log;
};

// /readyz answers 200 when this returns true, 503 otherwise. Runs on the connection's thread.
using ReadinessCheck = std::function<bool()>;

class Server {
 public:
  // Binds and listens at once (so port() is known); throws std::system_error when it cannot.
  Server(ServerOptions options, Router router, ServerTelemetry telemetry, ReadinessCheck ready);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const noexcept;

  // Serves until Shutdown() or, when `handle_signals`, SIGINT/SIGTERM. Then: stops accepting,
  // closes idle connections, lets in-flight requests finish within shutdown_grace, and returns.
  // A second signal during the drain exits the process at once (status 1). After the grace,
  // remaining connections are closed unanswered and requests waiting for a handler dropped, but a handler
  // still running is waited for (a thread cannot be interrupted): bound handlers with their own
  // timeouts (statement timeouts, upstream total_timeout). Call Run() once.
  void Run(bool handle_signals = true);
  // Begins the graceful shutdown from any thread; Run() returns when it is done.
  void Shutdown() noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace hotorder::http
