#include "telemetry/span_limits.hpp"

#include <gtest/gtest.h>

namespace hotorder::telemetry {
namespace {

TEST(SpanLimits, DefaultsFollowTheSpec) {
  config::EnvReader env(config::FixedEnv({}));
  SpanLimits limits = SpanLimitsFromEnv(env);
  EXPECT_EQ(limits.span_attributes.count, 128u);
  EXPECT_EQ(limits.span_attributes.value_length, AttributeLimits::kUnlimited);
  EXPECT_EQ(limits.event_count, 128u);
  EXPECT_EQ(limits.link_count, 128u);
  EXPECT_EQ(limits.event_attributes.count, 128u);
}

TEST(SpanLimits, SpanSpecificWinsOverGeneral) {
  config::EnvReader env(config::FixedEnv({
      {"OTEL_ATTRIBUTE_COUNT_LIMIT", "10"},
      {"OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", "20"},
      {"OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", "5"},
      {"OTEL_SPAN_EVENT_COUNT_LIMIT", "3"},
      {"OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", "2"},
  }));
  SpanLimits limits = SpanLimitsFromEnv(env);
  EXPECT_EQ(limits.span_attributes.count, 5u);
  EXPECT_EQ(limits.span_attributes.value_length, 20u);
  EXPECT_EQ(limits.event_count, 3u);
  EXPECT_EQ(limits.event_attributes.count, 10u);
  EXPECT_EQ(limits.event_attributes.value_length, 20u);
  EXPECT_EQ(limits.link_attributes.count, 2u);
}

TEST(SpanLimits, InvalidValueWarnsAndKeepsDefault) {
  config::EnvReader env(config::FixedEnv({{"OTEL_SPAN_EVENT_COUNT_LIMIT", "-4"}}));
  EXPECT_EQ(SpanLimitsFromEnv(env).event_count, 128u);
  EXPECT_EQ(env.Warnings().size(), 1u);
}

}  // namespace
}  // namespace hotorder::telemetry
