#pragma once
// The entity producing telemetry (OpenTelemetry Resource) and the instrumentation scope.

#include <string>
#include <string_view>

#include "config/env.hpp"
#include "telemetry/attributes.hpp"

namespace hotorder::telemetry {

inline constexpr std::string_view kSdkName = "hotorder";
inline constexpr std::string_view kSdkVersion = "0.1.0";

struct Resource {
  Attributes attributes;
  std::string schema_url;

  // Attributes of `updating` win over ours for the same key (spec: Resource Merge).
  Resource Merge(const Resource& updating) const;
};

struct InstrumentationScope {
  std::string name;
  std::string version;
  std::string schema_url;
};

// What the SDK knows about itself and its process: telemetry.sdk.*, host.name, process.pid.
Resource DefaultResource();

// OTEL_RESOURCE_ATTRIBUTES (comma-separated key=value, values percent-decoded) and
// OTEL_SERVICE_NAME, which wins over a service.name given in OTEL_RESOURCE_ATTRIBUTES. A
// malformed list is reported through `env` and ignored as a whole, as the spec requires.
Resource ResourceFromEnv(const config::EnvReader& env);

// The resource a service runs with: defaults, then the service's own facts (name, version,
// deployment environment), then the environment, each overriding the last. service.name falls
// back to `default_service_name` when nothing sets it.
Resource BuildResource(const config::EnvReader& env, std::string_view default_service_name,
                       std::string_view service_version);

}  // namespace hotorder::telemetry
