#include "telemetry/resource.hpp"

#include <unistd.h>

#include <climits>

#include "telemetry/key_value_list.hpp"

namespace hotorder::telemetry {
namespace {

void Upsert(Attributes& attributes, std::string key, AttributeValue value) {
  for (auto& item : attributes) {
    if (item.key == key) {
      item.value = std::move(value);
      return;
    }
  }
  attributes.push_back({std::move(key), std::move(value)});
}

std::string HostName() {
  char name[HOST_NAME_MAX + 1] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

}  // namespace

Resource Resource::Merge(const Resource& updating) const {
  Resource merged = *this;
  for (const auto& item : updating.attributes) Upsert(merged.attributes, item.key, item.value);
  // Spec: an empty schema URL takes the other's; two different non-empty ones conflict, and the
  // updating resource's is kept here as the more specific one.
  if (!updating.schema_url.empty()) merged.schema_url = updating.schema_url;
  return merged;
}

Resource DefaultResource() {
  return Resource{{
                      {"service.name", "unknown_service"},
                      {"telemetry.sdk.name", std::string(kSdkName)},
                      {"telemetry.sdk.language", "cpp"},
                      {"telemetry.sdk.version", std::string(kSdkVersion)},
                      {"host.name", HostName()},
                      {"process.pid", static_cast<std::int64_t>(getpid())},
                  },
                  {}};
}

Resource ResourceFromEnv(const config::EnvReader& env) {
  Resource resource;
  if (auto list = env.String("OTEL_RESOURCE_ATTRIBUTES")) {
    if (auto members = ParseKeyValueList(*list)) {
      for (auto& [key, value] : *members) {
        Upsert(resource.attributes, std::move(key), std::move(value));
      }
    } else {
      env.Warn("OTEL_RESOURCE_ATTRIBUTES=\"" + *list +
               "\" is not a list of key=value pairs; ignoring it");
    }
  }
  if (auto service_name = env.String("OTEL_SERVICE_NAME")) {
    Upsert(resource.attributes, "service.name", *service_name);
  }
  return resource;
}

Resource BuildResource(const config::EnvReader& env, std::string_view default_service_name,
                       std::string_view service_version) {
  Resource own{{
                   {"service.name", std::string(default_service_name)},
                   {"service.version", std::string(service_version)},
                   {"deployment.environment.name", "local"},
               },
               {}};
  return DefaultResource().Merge(own).Merge(ResourceFromEnv(env));
}

}  // namespace hotorder::telemetry
