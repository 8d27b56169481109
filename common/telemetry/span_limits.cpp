#include "telemetry/span_limits.hpp"

namespace hotorder::telemetry {
namespace {

constexpr std::int64_t kMaxLimit = AttributeLimits::kUnlimited;

std::uint32_t Limit(const config::EnvReader& env, std::string_view name, std::uint32_t fallback) {
  return static_cast<std::uint32_t>(env.Int(name, fallback, 0, kMaxLimit));
}

}  // namespace

SpanLimits SpanLimitsFromEnv(const config::EnvReader& env) {
  SpanLimits defaults;
  const std::uint32_t general_count =
      Limit(env, "OTEL_ATTRIBUTE_COUNT_LIMIT", defaults.span_attributes.count);
  const std::uint32_t general_length =
      Limit(env, "OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT", defaults.span_attributes.value_length);

  SpanLimits limits;
  limits.span_attributes.count = Limit(env, "OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT", general_count);
  limits.span_attributes.value_length =
      Limit(env, "OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT", general_length);
  limits.event_count = Limit(env, "OTEL_SPAN_EVENT_COUNT_LIMIT", defaults.event_count);
  limits.link_count = Limit(env, "OTEL_SPAN_LINK_COUNT_LIMIT", defaults.link_count);
  // Event and link attributes have no length variable of their own: the general one applies.
  limits.event_attributes = {Limit(env, "OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT", general_count),
                             general_length};
  limits.link_attributes = {Limit(env, "OTEL_LINK_ATTRIBUTE_COUNT_LIMIT", general_count),
                            general_length};
  return limits;
}

}  // namespace hotorder::telemetry
