#include "telemetry/sampler.hpp"

#include <cmath>
#include <cstdio>

namespace hotorder::telemetry {
namespace {

constexpr std::uint64_t kRandomnessBits = 56;
constexpr std::uint64_t kMaxRandomness = std::uint64_t{1} << kRandomnessBits;

SamplingResult Decide(bool sampled) { 
  return {sampled ? SamplingDecision::kRecordAndSample : SamplingDecision::kDrop, {}, {}};
}

std::uint64_t TraceRandomness(const TraceId& trace_id) noexcept {
  std::uint64_t value = 0;
  for (std::size_t i = TraceId::kSize - kRandomnessBits / 8; i < TraceId::kSize; ++i) {
    value = (value << 8) | trace_id.Bytes()[i];
  }
  return value;
}

}  // namespace

SamplingResult AlwaysOnSampler::ShouldSample(const SamplingParameters&) const noexcept {
  return Decide(true);
}

SamplingResult AlwaysOffSampler::ShouldSample(const SamplingParameters&) const noexcept {
  return Decide(false);
}

TraceIdRatioBasedSampler::TraceIdRatioBasedSampler(double ratio) noexcept
    : ratio_(std::isfinite(ratio) ? std::clamp(ratio, 0.0, 1.0) : 0.0) {
  // Reject the lowest (1 - ratio) share of the 2^56 randomness values.
  threshold_ = static_cast<std::uint64_t>(
      std::llround((1.0 - ratio_) * static_cast<double>(kMaxRandomness)));
}

SamplingResult TraceIdRatioBasedSampler::ShouldSample(const SamplingParameters& params) const noexcept {
  if (ratio_ <= 0.0) return Decide(false);
  return Decide(TraceRandomness(params.trace_id) >= threshold_);
}

std::string TraceIdRatioBasedSampler::Description() const {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "TraceIdRatioBased{%f}", ratio_);
  return buffer;
}

ParentBasedSampler::ParentBasedSampler(std::unique_ptr<Sampler> root) : root_(std::move(root)) {}

SamplingResult ParentBasedSampler::ShouldSample(const SamplingParameters& params) const noexcept {
  // With a parent, local or remote, the parent's sampled flag decides (the spec's default
  // delegates for all four parent cases are AlwaysOn when sampled, AlwaysOff when not).
  if (params.parent.IsValid()) return Decide(params.parent.IsSampled());
  return root_->ShouldSample(params);
}

std::string ParentBasedSampler::Description() const {
  return "ParentBased{root:" + root_->Description() + "}";
}

std::unique_ptr<Sampler> SamplerFromEnv(const config::EnvReader& env) {
  const std::string name = env.String("OTEL_TRACES_SAMPLER", "parentbased_always_on");
  auto ratio = [&env] { return env.Double("OTEL_TRACES_SAMPLER_ARG", 1.0, 0.0, 1.0); };
  if (name == "always_on") return std::make_unique<AlwaysOnSampler>();
  if (name == "always_off") return std::make_unique<AlwaysOffSampler>();
  if (name == "traceidratio") return std::make_unique<TraceIdRatioBasedSampler>(ratio());
  if (name == "parentbased_always_off") {
    return std::make_unique<ParentBasedSampler>(std::make_unique<AlwaysOffSampler>());
  }
  if (name == "parentbased_traceidratio") {
    return std::make_unique<ParentBasedSampler>(
        std::make_unique<TraceIdRatioBasedSampler>(ratio()));
  }
  if (name != "parentbased_always_on") {
    env.Warn("OTEL_TRACES_SAMPLER=\"" + name +
             "\" is not a supported sampler; using parentbased_always_on");
  }
  return std::make_unique<ParentBasedSampler>(std::make_unique<AlwaysOnSampler>());
}

}  // namespace hotorder::telemetry
