#pragma once
// The weighted scenario mix (--mix ok=90,empty=3,...) and the requests each scenario sends.

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "scenario.hpp"

namespace hotorder::loadgen {

// Weights per scenario, indexed by static_cast<size_t>(Scenario). At least one is positive.
struct Mix {
  std::array<std::uint32_t, kScenarioCount> weights{};
};

inline constexpr std::string_view kDefaultMix = "ok=90,empty=3,unknown-sku=3,out-of-stock=2,get=2";

// "name=weight,..." : every name known, each at most once, weights integers 0..1000000, total
// positive. Scenarios not named get weight 0. The error names the offending entry.
struct MixError {
  std::string message;
};
std::variant<Mix, MixError> ParseMix(std::string_view text);
std::string FormatMix(const Mix& mix);  // "ok=90,empty=3,..." in kAllScenarios order, zeros omitted

// Picks scenarios by weight.
class ScenarioPicker {
 public:
  explicit ScenarioPicker(const Mix& mix);
  Scenario Pick(std::mt19937_64& rng) const;

 private:
  std::array<std::uint64_t, kScenarioCount> cumulative_{};
};

// One request, ready to serialise: method, target (origin-form) and a JSON body (empty for GET).
struct RequestSpec {
  Scenario scenario;
  std::string method;
  std::string target;
  std::string body;
};

// Builds requests for the seeded catalogue (db/seed.sql: SKU-001..SKU-<sku_count>, three digits
// zero-padded). Order ids placed during the run are remembered (a bounded ring) so `get` reads
// real orders; before the first one exists, `get` reads a SKU's stock (GET /api/inventory/{sku},
// also 200).
class RequestFactory {
 public:
  explicit RequestFactory(std::uint32_t sku_count);
  RequestSpec Make(Scenario scenario, std::mt19937_64& rng) const;
  void RememberOrder(std::string order_id);  // from a 201 body's "order_id"

 private:
  std::uint32_t sku_count_;
  std::vector<std::string> recent_orders_;
  std::size_t next_slot_ = 0;
};

// The seeded catalogue, as db/seed.sql writes it (the two must stay in step): SKU n is
// "SKU-" + n zero-padded to at least three digits, with 50 + (n * 7919) % 951 units in stock.
std::string SkuName(std::uint64_t n);
std::uint32_t SeededQuantity(std::uint64_t n) noexcept;

// The "order_id" string of a 201 body, or empty. A plain scan, not a JSON parse: loadgen must
// stay cheap per request.
std::string ExtractOrderId(std::string_view body);

}  // namespace hotorder::loadgen
