#pragma once
// Head sampling (OpenTelemetry spec: Sampler): decides at span start whether a span is recorded
// and exported. Decisions only depend on their inputs, so every service decides alike.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/env.hpp"
#include "telemetry/attributes.hpp"
#include "telemetry/span_data.hpp"

namespace hotorder::telemetry {

enum class SamplingDecision { kDrop, kRecordOnly, kRecordAndSample };

struct SamplingResult {
  SamplingDecision decision = SamplingDecision::kDrop;
  Attributes attributes;                  // added to the span
  std::optional<TraceState> trace_state;  // replaces the parent's when set
};

struct SamplingParameters {
  const SpanContext& parent;  // invalid for a root span
  const TraceId& trace_id;
  std::string_view name;
  SpanKind kind;
  const Attributes& attributes;
  const std::vector<SpanLink>& links;
};

class Sampler {
 public:
  Sampler() = default;
  Sampler(const Sampler&) = delete;
  Sampler& operator=(const Sampler&) = delete;
  virtual ~Sampler() = default;

  virtual SamplingResult ShouldSample(const SamplingParameters& params) const noexcept = 0;
  virtual std::string Description() const = 0;
};

class AlwaysOnSampler final : public Sampler {
 public:
  SamplingResult ShouldSample(const SamplingParameters& params) const noexcept override;
  std::string Description() const override { return "AlwaysOnSampler"; }
};

class AlwaysOffSampler final : public Sampler {
 public:
  SamplingResult ShouldSample(const SamplingParameters& params) const noexcept override;
  std::string Description() const override { return "AlwaysOffSampler"; }
};

// Samples a deterministic share of traces by their id: the rightmost 56 bits of the trace id
// (random per W3C Trace Context Level 2) are compared with a threshold, so every service in a
// trace takes the same decision for the same ratio.
class TraceIdRatioBasedSampler final : public Sampler {
 public:
  explicit TraceIdRatioBasedSampler(double ratio) noexcept;
  SamplingResult ShouldSample(const SamplingParameters& params) const noexcept override;
  std::string Description() const override;

 private:
  double ratio_;
  std::uint64_t threshold_;  // sample when randomness >= threshold_
};

// Follows the parent's sampled flag when there is a parent; asks `root` otherwise.
class ParentBasedSampler final : public Sampler {
 public:
  explicit ParentBasedSampler(std::unique_ptr<Sampler> root);
  SamplingResult ShouldSample(const SamplingParameters& params) const noexcept override;
  std::string Description() const override;

 private:
  std::unique_ptr<Sampler> root_;
};

// OTEL_TRACES_SAMPLER (always_on, always_off, traceidratio, parentbased_always_on (default),
// parentbased_always_off, parentbased_traceidratio) and OTEL_TRACES_SAMPLER_ARG (ratio in [0,1],
// default 1.0).
std::unique_ptr<Sampler> SamplerFromEnv(const config::EnvReader& env);

}  // namespace hotorder::telemetry
