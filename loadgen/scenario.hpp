#pragma once
// The request kinds loadgen sends, each an honest request against api-gateway with the status
// the gateway must answer it with. A response with any other status is a "status" error.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hotorder::loadgen {

enum class Scenario : std::uint8_t {
  kOk,          // a valid order of seeded SKUs                  -> 201
  kEmpty,       // an order with no items                        -> 400
  kUnknownSku,  // a well-formed SKU that was never seeded       -> 404
  kOutOfStock,  // a quantity larger than the SKU's stock        -> 409
  kGet,         // a read of an order placed earlier in the run  -> 200
};

inline constexpr std::size_t kScenarioCount = 5;
inline constexpr std::array<Scenario, kScenarioCount> kAllScenarios = {
    Scenario::kOk, Scenario::kEmpty, Scenario::kUnknownSku, Scenario::kOutOfStock, Scenario::kGet};

// "ok", "empty", "unknown-sku", "out-of-stock", "get": the names --mix and reports use.
std::string_view ScenarioName(Scenario scenario) noexcept;
std::optional<Scenario> ScenarioFromName(std::string_view name) noexcept;
int ExpectedStatus(Scenario scenario) noexcept;

}  // namespace hotorder::loadgen
