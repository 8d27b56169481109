#pragma once
// Several propagators run as one (OpenTelemetry composite propagator), and the choice of them
// from OTEL_PROPAGATORS.

#include <memory>
#include <string>
#include <vector>

#include "config/env.hpp"
#include "telemetry/propagation/text_map.hpp"

namespace hotorder::telemetry {

class CompositePropagator final : public TextMapPropagator {
 public:
  // Null entries are ignored.
  explicit CompositePropagator(std::vector<std::unique_ptr<TextMapPropagator>>&& propagators);

  // Each propagator extracts in order from the previous one's result, so a later format wins
  // where both found a span context.
  Context Extract(const TextMapReader& carrier, Context context) const noexcept override;
  void Inject(const Context& context, TextMapWriter& carrier) const noexcept override;
  // The union of the parts' fields, in order, without repeats.
  std::vector<std::string> Fields() const override;

  const std::vector<std::unique_ptr<TextMapPropagator>>& propagators() const noexcept {
    return propagators_;
  }

 private:
  std::vector<std::unique_ptr<TextMapPropagator>> propagators_;
};

// OTEL_PROPAGATORS: comma-separated, case-insensitive names, surrounding whitespace ignored;
// unset or empty means "tracecontext,baggage". Known names: tracecontext, baggage, b3 (single
// header), b3multi, none. Repeats are registered once (as the OpenTelemetry spec requires).
// An unknown name gets a warning and is skipped; if no name at all is usable the default is
// used, with a warning. "none" alone gives a composite of nothing; "none" next to other names
// is contradictory, gets a warning and is ignored, so propagation keeps working.
// Always returns a CompositePropagator.
std::unique_ptr<TextMapPropagator> PropagatorFromEnv(const config::EnvReader& env);

}  // namespace hotorder::telemetry
