#pragma once
// The start-up and shut-down every service shares, so each main.cpp is a few lines: read the
// environment once, set up logging and tracing, log the effective configuration, build the
// service's app (its routes and readiness), serve until SIGTERM/SIGINT, then flush spans.

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "config/env.hpp"
#include "http/router.hpp"
#include "log/logger.hpp"
#include "telemetry/propagation/text_map.hpp"
#include "telemetry/tracer.hpp"

namespace hotorder::service {

// What start-up hands to a service's app factory.
struct Runtime {
  const config::EnvReader& env;
  const telemetry::Tracer& tracer;
  const telemetry::TextMapPropagator& propagator;
  log::Logger log;
};

// A running service: its routes and what /readyz checks. Owns the service's resources
// (connection pools, clients), which must outlive the server; hence an object, destroyed after it.
class App {
 public:
  App() = default;
  App(const App&) = delete;
  App& operator=(const App&) = delete;
  virtual ~App() = default;

  virtual http::Router Routes() = 0;
  virtual bool Ready() = 0;
};

struct ServiceInfo {
  std::string_view name;     // default service.name ("inventory-service")
  std::uint16_t default_port = 0;
};

using AppFactory = std::function<std::unique_ptr<App>(Runtime&)>;

// Returns the process exit status: 0 after a graceful shutdown, 1 when start-up failed (the
// reason logged).
int Main(const ServiceInfo& info, const AppFactory& make_app);

}  // namespace hotorder::service
