#include "slow_index_scan.hpp"

#include <cmath>
#include <string>

#include "http/http_error.hpp"

namespace hotorder::inventory {
namespace {

[[noreturn]] void Invalid(const std::string& message) {
  throw http::HttpError(400, "invalid_fault", message);
}

}  // namespace

std::string_view FaultModeName(FaultMode mode) noexcept {
  switch (mode) {
    case FaultMode::kSeqScan: return "seqscan";
    case FaultMode::kMissingIndex: return "missing-index";
    case FaultMode::kSleep: break;
  }
  return "sleep";
}

std::optional<FaultMode> ParseFaultMode(std::string_view name) noexcept {
  if (name == "sleep") return FaultMode::kSleep;
  if (name == "seqscan") return FaultMode::kSeqScan;
  if (name == "missing-index") return FaultMode::kMissingIndex;
  return std::nullopt;
}

SlowIndexScanSettings SlowIndexScanFromEnv(const config::EnvReader& env) {
  SlowIndexScanSettings settings;
  if (auto value = env.String("FAULT_SLOW_INDEX_SCAN")) {
    if (*value == "on" || *value == "true" || *value == "1") {
      settings.enabled = true;
    } else if (!(*value == "off" || *value == "false" || *value == "0")) {
      env.Warn("FAULT_SLOW_INDEX_SCAN=" + *value + " is not on or off; using off");
    }
  }
  if (auto value = env.String("FAULT_SLOW_INDEX_SCAN_MODE")) {
    if (auto mode = ParseFaultMode(*value)) {
      settings.mode = *mode;
    } else {
      env.Warn("FAULT_SLOW_INDEX_SCAN_MODE=" + *value +
               " is not sleep, seqscan or missing-index; using sleep");
    }
  }
  settings.delay_ms = static_cast<int>(
      env.Int("FAULT_SLOW_INDEX_SCAN_DELAY_MS", settings.delay_ms, 0, kMaxFaultDelayMs));
  settings.ratio = env.Double("FAULT_SLOW_INDEX_SCAN_RATIO", settings.ratio, 0.0, 1.0);
  return settings;
}

nlohmann::json SlowIndexScanJson(const SlowIndexScanSettings& settings) {
  return {{"enabled", settings.enabled},
          {"mode", FaultModeName(settings.mode)},
          {"delay_ms", settings.delay_ms},
          {"ratio", settings.ratio}};
}

SlowIndexScanSettings ApplySlowIndexScanUpdate(const SlowIndexScanSettings& current,
                                              const nlohmann::json& body) {
  if (!body.is_object()) Invalid("the body must be a JSON object");
  SlowIndexScanSettings next = current;
  for (const auto& [field, value] : body.items()) {
    if (field == "enabled") {
      if (!value.is_boolean()) Invalid("enabled must be true or false");
      next.enabled = value.get<bool>();
    } else if (field == "mode") {
      auto mode = value.is_string() ? ParseFaultMode(value.get_ref<const std::string&>())
                                    : std::nullopt;
      if (!mode) Invalid("mode must be \"sleep\", \"seqscan\" or \"missing-index\"");
      next.mode = *mode;
    } else if (field == "delay_ms") {
      if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
          value.get<std::int64_t>() > kMaxFaultDelayMs) {
        Invalid("delay_ms must be an integer from 0 to " + std::to_string(kMaxFaultDelayMs));
      }
      next.delay_ms = value.get<int>();
    } else if (field == "ratio") {
      if (!value.is_number() || !std::isfinite(value.get<double>()) || value.get<double>() < 0 ||
          value.get<double>() > 1) {
        Invalid("ratio must be a number from 0 to 1");
      }
      next.ratio = value.get<double>();
    } else {
      Invalid("unknown field \"" + field + "\" (enabled, mode, delay_ms, ratio)");
    }
  }
  return next;
}

std::string_view TriggerName(FaultDecision::Trigger trigger) noexcept {
  switch (trigger) {
    case FaultDecision::Trigger::kRatio: return "ratio";
    case FaultDecision::Trigger::kBaggage: return "baggage";
    case FaultDecision::Trigger::kIndex: return "missing-index";
    case FaultDecision::Trigger::kNone: break;
  }
  return "none";
}

FaultDecision DecideSlowIndexScan(const SlowIndexScanSettings& settings,
                                  const telemetry::Baggage& baggage, double uniform) noexcept {
  using Trigger = FaultDecision::Trigger;
  const bool missing_index = settings.mode == FaultMode::kMissingIndex;
  if (settings.enabled && missing_index) {
    return {Trigger::kIndex, FaultMode::kMissingIndex, settings.delay_ms};
  }
  if (baggage.Get(kFaultBaggageKey) == kSlowIndexScan) {
    return {Trigger::kBaggage, missing_index ? FaultMode::kSeqScan : settings.mode,
            settings.delay_ms};
  }
  if (settings.enabled && uniform < settings.ratio) {
    return {Trigger::kRatio, settings.mode, settings.delay_ms};
  }
  return {Trigger::kNone, settings.mode, settings.delay_ms};
}

}  // namespace hotorder::inventory
