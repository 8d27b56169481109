#include "telemetry/propagation/composite.hpp"

#include <algorithm>
#include <string_view>

#include "telemetry/propagation/b3.hpp"
#include "telemetry/propagation/w3c_baggage.hpp"
#include "telemetry/propagation/w3c_trace_context.hpp"

namespace hotorder::telemetry {
namespace {

constexpr std::string_view kEnvName = "OTEL_PROPAGATORS";
constexpr std::string_view kDefaultPropagators = "tracecontext,baggage";
constexpr std::string_view kKnownNames = "tracecontext, baggage, b3, b3multi, none";

std::string_view Trim(std::string_view s) noexcept {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsKnown(std::string_view name) noexcept {
  return name == "tracecontext" || name == "baggage" || name == "b3" || name == "b3multi";
}

std::unique_ptr<TextMapPropagator> Create(std::string_view name) {
  if (name == "tracecontext") return std::make_unique<TraceContextPropagator>();
  if (name == "baggage") return std::make_unique<BaggagePropagator>();
  if (name == "b3") return std::make_unique<B3Propagator>(B3Mode::kSingleHeader);
  if (name == "b3multi") return std::make_unique<B3Propagator>(B3Mode::kMultiHeader);
  return nullptr;
}

// Splits and normalises a list, warning about unknown names when `env` is given. Returns the
// known names in order, once each, without "none"; `saw_none` tells whether "none" was listed.
std::vector<std::string> KnownNames(std::string_view list, const config::EnvReader* env,
                                    bool& saw_none) {
  std::vector<std::string> names;
  saw_none = false;
  while (true) {
    const std::size_t comma = list.find(',');
    const std::string name = Lower(Trim(list.substr(0, comma)));
    if (name == "none") {
      saw_none = true;
    } else if (!name.empty()) {
      if (!IsKnown(name)) {
        if (env != nullptr) {
          env->Warn(std::string(kEnvName) + ": unknown propagator \"" + name +
                    "\" ignored (known: " + std::string(kKnownNames) + ")");
        }
      } else if (std::find(names.begin(), names.end(), name) == names.end()) {
        names.push_back(name);
      }
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return names;
}

}  // namespace

CompositePropagator::CompositePropagator(
    std::vector<std::unique_ptr<TextMapPropagator>>&& propagators)
    : propagators_(std::move(propagators)) {
  std::erase(propagators_, nullptr);
}

Context CompositePropagator::Extract(const TextMapReader& carrier, Context context) const noexcept {
  for (const auto& propagator : propagators_) {
    context = propagator->Extract(carrier, std::move(context));
  }
  return context;
}

void CompositePropagator::Inject(const Context& context, TextMapWriter& carrier) const noexcept {
  for (const auto& propagator : propagators_) propagator->Inject(context, carrier);
}

std::vector<std::string> CompositePropagator::Fields() const {
  std::vector<std::string> fields;
  for (const auto& propagator : propagators_) {
    for (std::string& field : propagator->Fields()) {
      if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
        fields.push_back(std::move(field));
      }
    }
  }
  return fields;
}

std::unique_ptr<TextMapPropagator> PropagatorFromEnv(const config::EnvReader& env) {
  const std::optional<std::string> value = env.String(kEnvName);
  bool saw_none = false;
  std::vector<std::string> names;
  if (value) {
    names = KnownNames(*value, &env, saw_none);
    if (saw_none && !names.empty()) {
      env.Warn(std::string(kEnvName) + "=\"" + *value +
               "\": \"none\" next to other propagators is ignored");
    } else if (!saw_none && names.empty()) {
      env.Warn(std::string(kEnvName) + "=\"" + *value + "\" names no usable propagator; using \"" +
               std::string(kDefaultPropagators) + "\"");
    }
  }
  if (!value || (!saw_none && names.empty())) {
    names = KnownNames(kDefaultPropagators, nullptr, saw_none);
  }

  std::vector<std::unique_ptr<TextMapPropagator>> propagators;
  propagators.reserve(names.size());
  for (const std::string& name : names) propagators.push_back(Create(name));
  return std::make_unique<CompositePropagator>(std::move(propagators));
}

}  // namespace hotorder::telemetry
