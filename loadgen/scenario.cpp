#include "loadgen/scenario.hpp"

namespace hotorder::loadgen {

std::string_view ScenarioName(Scenario scenario) noexcept {
  switch (scenario) {
    case Scenario::kOk: return "ok";
    case Scenario::kEmpty: return "empty";
    case Scenario::kUnknownSku: return "unknown-sku";
    case Scenario::kOutOfStock: return "out-of-stock";
    case Scenario::kGet: return "get";
  }
  return "?";
}

std::optional<Scenario> ScenarioFromName(std::string_view name) noexcept {
  for (Scenario scenario : kAllScenarios) {
    if (ScenarioName(scenario) == name) return scenario;
  }
  return std::nullopt;
}

int ExpectedStatus(Scenario scenario) noexcept {
  switch (scenario) {
    case Scenario::kOk: return 201;
    case Scenario::kEmpty: return 400;
    case Scenario::kUnknownSku: return 404;
    case Scenario::kOutOfStock: return 409;
    case Scenario::kGet: return 200;
  }
  return 0;
}

}  // namespace hotorder::loadgen
