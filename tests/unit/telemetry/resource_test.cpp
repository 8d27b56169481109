#include "telemetry/resource.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

namespace hotorder::telemetry {
namespace {

std::string StringAttr(const Resource& resource, std::string_view key) {
  const auto* value = FindAttribute(resource.attributes, key);
  return value ? std::get<std::string>(value->variant()) : "<missing>";
}

TEST(Resource, DefaultDescribesSdkAndProcess) {
  Resource resource = DefaultResource();
  EXPECT_EQ(StringAttr(resource, "telemetry.sdk.name"), "hotorder");
  EXPECT_EQ(StringAttr(resource, "telemetry.sdk.language"), "cpp");
  EXPECT_EQ(StringAttr(resource, "service.name"), "unknown_service");
  EXPECT_NE(StringAttr(resource, "host.name"), "<missing>");
  const auto* pid = FindAttribute(resource.attributes, "process.pid");
  ASSERT_NE(pid, nullptr);
  EXPECT_EQ(std::get<std::int64_t>(pid->variant()), getpid());
}

TEST(Resource, MergePrefersUpdatingValues) {
  Resource old{{{"a", "1"}, {"b", "2"}}, {}};
  Resource updating{{{"b", "3"}, {"c", "4"}}, "https://schema"};
  Resource merged = old.Merge(updating);
  EXPECT_EQ(StringAttr(merged, "a"), "1");
  EXPECT_EQ(StringAttr(merged, "b"), "3");
  EXPECT_EQ(StringAttr(merged, "c"), "4");
  EXPECT_EQ(merged.schema_url, "https://schema");
}

TEST(Resource, EnvironmentOverridesAndServiceNameWins) {
  config::EnvReader env(config::FixedEnv({
      {"OTEL_RESOURCE_ATTRIBUTES",
       "service.name=from-attrs,deployment.environment.name=workshop,team=obs%20rocks"},
      {"OTEL_SERVICE_NAME", "from-service-name"},
  }));
  Resource resource = BuildResource(env, "order-service", "1.0.0");
  EXPECT_EQ(StringAttr(resource, "service.name"), "from-service-name");
  EXPECT_EQ(StringAttr(resource, "service.version"), "1.0.0");
  EXPECT_EQ(StringAttr(resource, "deployment.environment.name"), "workshop");
  EXPECT_EQ(StringAttr(resource, "team"), "obs rocks");
  EXPECT_TRUE(env.Warnings().empty());
}

TEST(Resource, MalformedAttributeListIsIgnoredWithWarning) {
  config::EnvReader env(config::FixedEnv({{"OTEL_RESOURCE_ATTRIBUTES", "team=a,broken"}}));
  Resource resource = BuildResource(env, "order-service", "1.0.0");
  EXPECT_EQ(StringAttr(resource, "service.name"), "order-service");
  EXPECT_EQ(StringAttr(resource, "team"), "<missing>");
  EXPECT_EQ(env.Warnings().size(), 1u);
}

}  // namespace
}  // namespace hotorder::telemetry
