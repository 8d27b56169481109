#include "loadgen/mix.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace hotorder::loadgen {
namespace {

constexpr std::uint32_t kMaxWeight = 1'000'000;
// Enough recent orders that `get` reads a spread of them, small enough to stay in cache.
constexpr std::size_t kRememberedOrders = 1024;
constexpr std::array<std::string_view, 3> kTiers = {"standard", "gold", "platinum"};
// Above every seeded quantity except the few SKUs seeded with exactly this many, and the largest
// quantity the order rules accept (domain/order_items.hpp).
constexpr int kOutOfStockQty = 1000;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Uniform in [low, high].
std::uint64_t Uniform(std::mt19937_64& rng, std::uint64_t low, std::uint64_t high) {
  return std::uniform_int_distribution<std::uint64_t>(low, high)(rng);
}

// Every id loadgen makes is drawn from [A-Za-z0-9._-], so bodies need no JSON escaping and ids
// are safe in a request target.
bool IsSafeId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

void AppendOrderHead(std::string& body, std::mt19937_64& rng) {
  body += R"({"customer_id":"cust-)";
  body += std::to_string(Uniform(rng, 1, 100'000));
  body += R"(","customer_tier":")";
  body += kTiers[Uniform(rng, 0, kTiers.size() - 1)];
  body += R"(","items":[)";
}

void AppendItem(std::string& body, std::string_view sku, int qty) {
  body += R"({"sku":")";
  body += sku;
  body += R"(","qty":)";
  body += std::to_string(qty);
  body += '}';
}

}  // namespace

std::variant<Mix, MixError> ParseMix(std::string_view text) {
  Mix mix;
  std::array<bool, kScenarioCount> seen{};
  std::uint64_t total = 0;
  if (Trim(text).empty()) return MixError{"--mix is empty"};
  while (true) {
    auto comma = text.find(',');
    std::string_view entry = Trim(text.substr(0, comma));
    auto equals = entry.find('=');
    if (equals == std::string_view::npos) {
      return MixError{"mix entry \"" + std::string(entry) + "\" is not name=weight"};
    }
    std::string_view name = Trim(entry.substr(0, equals));
    std::string_view weight_text = Trim(entry.substr(equals + 1));
    auto scenario = ScenarioFromName(name);
    if (!scenario) {
      return MixError{"mix entry \"" + std::string(entry) + "\": unknown scenario \"" +
                      std::string(name) +
                      "\" (known: ok, empty, unknown-sku, out-of-stock, get)"};
    }
    auto index = static_cast<std::size_t>(*scenario);
    if (seen[index]) {
      return MixError{"mix entry \"" + std::string(entry) + "\": " + std::string(name) +
                      " is given twice"};
    }
    seen[index] = true;
    std::uint32_t weight = 0;
    auto [end, error] =
        std::from_chars(weight_text.data(), weight_text.data() + weight_text.size(), weight);
    if (weight_text.empty() || error != std::errc() ||
        end != weight_text.data() + weight_text.size() || weight > kMaxWeight) {
      return MixError{"mix entry \"" + std::string(entry) +
                      "\": the weight must be an integer from 0 to 1000000"};
    }
    mix.weights[index] = weight;
    total += weight;
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (total == 0) return MixError{"mix weights are all zero"};
  return mix;
}

std::string FormatMix(const Mix& mix) {
  std::string text;
  for (Scenario scenario : kAllScenarios) {
    auto weight = mix.weights[static_cast<std::size_t>(scenario)];
    if (weight == 0) continue;
    if (!text.empty()) text += ',';
    text += ScenarioName(scenario);
    text += '=';
    text += std::to_string(weight);
  }
  return text;
}

ScenarioPicker::ScenarioPicker(const Mix& mix) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < kScenarioCount; ++i) {
    sum += mix.weights[i];
    cumulative_[i] = sum;
  }
}

Scenario ScenarioPicker::Pick(std::mt19937_64& rng) const {
  std::uint64_t total = cumulative_.back();
  if (total == 0) return Scenario::kOk;  // ParseMix never yields this; stay defined anyway
  std::uint64_t draw = Uniform(rng, 0, total - 1);
  auto found = std::upper_bound(cumulative_.begin(), cumulative_.end(), draw);
  return kAllScenarios[static_cast<std::size_t>(found - cumulative_.begin())];
}

std::string SkuName(std::uint64_t n) {
  char text[32];
  std::snprintf(text, sizeof text, "SKU-%03llu", static_cast<unsigned long long>(n));
  return text;
}

std::uint32_t SeededQuantity(std::uint64_t n) noexcept {
  return static_cast<std::uint32_t>(50 + (n * 7919) % 951);
}

RequestFactory::RequestFactory(std::uint32_t sku_count) : sku_count_(std::max<std::uint32_t>(sku_count, 1)) {
  recent_orders_.reserve(kRememberedOrders);
}

RequestSpec RequestFactory::Make(Scenario scenario, std::mt19937_64& rng) const {
  RequestSpec spec{.scenario = scenario, .method = "POST", .target = "/api/orders", .body = {}};
  switch (scenario) {
    case Scenario::kOk: {
      std::array<std::uint64_t, 3> picked{};
      auto lines = static_cast<std::size_t>(Uniform(rng, 1, std::min<std::uint64_t>(3, sku_count_)));
      spec.body.reserve(160);
      AppendOrderHead(spec.body, rng);
      for (std::size_t i = 0; i < lines; ++i) {
        // Distinct SKUs, so each line is its own reservation rather than a merged one.
        std::uint64_t n;
        do {
          n = Uniform(rng, 1, sku_count_);
        } while (std::find(picked.begin(), picked.begin() + i, n) != picked.begin() + i);
        picked[i] = n;
        if (i > 0) spec.body += ',';
        AppendItem(spec.body, SkuName(n), static_cast<int>(Uniform(rng, 1, 3)));
      }
      spec.body += "]}";
      break;
    }
    case Scenario::kEmpty:
      AppendOrderHead(spec.body, rng);
      spec.body += "]}";
      break;
    case Scenario::kUnknownSku: {
      // Seeded SKUs are "SKU-" and digits only, so the 'X' keeps this one out of the catalogue
      // while it stays well-formed (a malformed SKU would be a 400, not a 404).
      char sku[32];
      std::snprintf(sku, sizeof sku, "SKU-X%09llu",
                    static_cast<unsigned long long>(Uniform(rng, 0, 999'999'999)));
      AppendOrderHead(spec.body, rng);
      AppendItem(spec.body, sku, 1);
      spec.body += "]}";
      break;
    }
    case Scenario::kOutOfStock: {
      // Coupled to db/seed.sql through SeededQuantity: a SKU seeded with fewer than 1000 units
      // can never have 1000 available, whatever the run has reserved, so this is always a 409.
      std::uint64_t n = Uniform(rng, 1, sku_count_);
      for (std::uint32_t tries = 0; tries < sku_count_ && SeededQuantity(n) >= kOutOfStockQty;
           ++tries) {
        n = n % sku_count_ + 1;
      }
      AppendOrderHead(spec.body, rng);
      AppendItem(spec.body, SkuName(n), kOutOfStockQty);
      spec.body += "]}";
      break;
    }
    case Scenario::kGet:
      spec.method = "GET";
      if (recent_orders_.empty()) {
        spec.target = "/api/inventory/" + SkuName(Uniform(rng, 1, sku_count_));
      } else {
        spec.target = "/api/orders/" + recent_orders_[Uniform(rng, 0, recent_orders_.size() - 1)];
      }
      break;
  }
  return spec;
}

void RequestFactory::RememberOrder(std::string order_id) {
  if (!IsSafeId(order_id)) return;
  if (recent_orders_.size() < kRememberedOrders) {
    recent_orders_.push_back(std::move(order_id));
    return;
  }
  recent_orders_[next_slot_] = std::move(order_id);
  next_slot_ = (next_slot_ + 1) % kRememberedOrders;
}

std::string ExtractOrderId(std::string_view body) {
  constexpr std::string_view kKey = R"("order_id")";
  auto skip_space = [&](std::size_t at) {
    while (at < body.size() &&
           (body[at] == ' ' || body[at] == '\t' || body[at] == '\n' || body[at] == '\r')) {
      ++at;
    }
    return at;
  };
  for (auto found = body.find(kKey); found != std::string_view::npos;
       found = body.find(kKey, found + 1)) {
    // The key, not a string value that happens to read "order_id": a ':' must follow.
    std::size_t at = skip_space(found + kKey.size());
    if (at >= body.size() || body[at] != ':') continue;
    at = skip_space(at + 1);
    if (at >= body.size() || body[at] != '"') return {};
    auto close = body.find('"', at + 1);
    if (close == std::string_view::npos) return {};
    std::string_view id = body.substr(at + 1, close - at - 1);
    // Only ids safe to put in a request target; a UUID always is.
    return IsSafeId(id) ? std::string(id) : std::string();
  }
  return {};
}

}  // namespace hotorder::loadgen
