#include "telemetry/sampler.hpp"

#include <gtest/gtest.h>

namespace hotorder::telemetry {
namespace {

SamplingDecision Decide(const Sampler& sampler, const SpanContext& parent, const TraceId& id) {
  static const Attributes kNoAttributes;
  static const std::vector<SpanLink> kNoLinks;
  return sampler.ShouldSample({parent, id, "op", SpanKind::kServer, kNoAttributes, kNoLinks})
      .decision;
}

TraceId IdWithRandomness(std::uint64_t randomness56) {
  std::array<std::uint8_t, 16> bytes{};
  bytes[0] = 0xab;  // the high bytes must not matter
  for (int i = 0; i < 7; ++i) bytes[15 - i] = static_cast<std::uint8_t>(randomness56 >> (8 * i));
  return TraceId(bytes);
}

constexpr std::uint64_t kMax56 = (std::uint64_t{1} << 56) - 1;

TEST(TraceIdRatioBasedSampler, ThresholdOnLowest56Bits) {
  TraceIdRatioBasedSampler half(0.5);
  EXPECT_EQ(Decide(half, {}, IdWithRandomness(0)), SamplingDecision::kDrop);
  EXPECT_EQ(Decide(half, {}, IdWithRandomness((kMax56 + 1) / 2 - 1)), SamplingDecision::kDrop);
  EXPECT_EQ(Decide(half, {}, IdWithRandomness((kMax56 + 1) / 2)),
            SamplingDecision::kRecordAndSample);
  EXPECT_EQ(Decide(half, {}, IdWithRandomness(kMax56)), SamplingDecision::kRecordAndSample);
}

TEST(TraceIdRatioBasedSampler, EdgesAndDescription) {
  TraceIdRatioBasedSampler none(0.0);
  TraceIdRatioBasedSampler all(1.0);
  EXPECT_EQ(Decide(none, {}, IdWithRandomness(kMax56)), SamplingDecision::kDrop);
  EXPECT_EQ(Decide(all, {}, IdWithRandomness(0)), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(TraceIdRatioBasedSampler(0.25).Description(), "TraceIdRatioBased{0.250000}");
}

TEST(TraceIdRatioBasedSampler, SamplesAboutTheRatioOfRandomIds) {
  TraceIdRatioBasedSampler sampler(0.3);
  RandomIdGenerator ids;
  int sampled = 0;
  constexpr int kDraws = 100000;
  for (int i = 0; i < kDraws; ++i) {
    sampled += Decide(sampler, {}, ids.NewTraceId()) == SamplingDecision::kRecordAndSample;
  }
  // Binomial(100000, 0.3) has a standard deviation of ~145: 1% is about 7 sigma.
  EXPECT_NEAR(sampled / static_cast<double>(kDraws), 0.3, 0.01);
}

TEST(ParentBasedSampler, FollowsParentAndAsksRootOtherwise) {
  ParentBasedSampler sampler(std::make_unique<AlwaysOffSampler>());
  RandomIdGenerator ids;
  const TraceId trace = ids.NewTraceId();
  SpanContext sampled_parent(trace, ids.NewSpanId(), TraceFlags::kSampled, true);
  SpanContext unsampled_parent(trace, ids.NewSpanId(), 0, false);
  EXPECT_EQ(Decide(sampler, sampled_parent, trace), SamplingDecision::kRecordAndSample);
  EXPECT_EQ(Decide(sampler, unsampled_parent, trace), SamplingDecision::kDrop);
  EXPECT_EQ(Decide(sampler, SpanContext(), trace), SamplingDecision::kDrop);
  EXPECT_EQ(sampler.Description(), "ParentBased{root:AlwaysOffSampler}");
}

TEST(SamplerFromEnv, ReadsNameAndArgument) {
  auto make = [](std::vector<std::pair<std::string, std::string>> vars) {
    config::EnvReader env(config::FixedEnv(std::move(vars)));
    return SamplerFromEnv(env)->Description();
  };
  EXPECT_EQ(make({}), "ParentBased{root:AlwaysOnSampler}");
  EXPECT_EQ(make({{"OTEL_TRACES_SAMPLER", "always_off"}}), "AlwaysOffSampler");
  EXPECT_EQ(make({{"OTEL_TRACES_SAMPLER", "traceidratio"}, {"OTEL_TRACES_SAMPLER_ARG", "0.1"}}),
            "TraceIdRatioBased{0.100000}");
  EXPECT_EQ(make({{"OTEL_TRACES_SAMPLER", "parentbased_traceidratio"},
                  {"OTEL_TRACES_SAMPLER_ARG", "2"}}),
            "ParentBased{root:TraceIdRatioBased{1.000000}}");
}

TEST(SamplerFromEnv, UnknownNameWarnsAndUsesDefault) {
  config::EnvReader env(config::FixedEnv({{"OTEL_TRACES_SAMPLER", "sometimes"}}));
  EXPECT_EQ(SamplerFromEnv(env)->Description(), "ParentBased{root:AlwaysOnSampler}");
  EXPECT_EQ(env.Warnings().size(), 1u);
}

}  // namespace
}  // namespace hotorder::telemetry
