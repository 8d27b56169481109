#include "bench/report/figures.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace hotorder::bench_report {

Figure Ratio(Figure numerator, Figure denominator) {
  if (!numerator || !denominator || *denominator == 0) return std::nullopt;
  return *numerator / *denominator;
}

Figure Delta(Figure value, Figure baseline) {
  if (!value || !baseline) return std::nullopt;
  return *value - *baseline;
}

Figure Sum(Figure a, Figure b) {
  if (!a || !b) return std::nullopt;
  return *a + *b;
}

Figure Product(Figure a, Figure b) {
  if (!a || !b) return std::nullopt;
  return *a * *b;
}

Figure BestOf(const std::vector<Figure>& values) {
  Figure best;
  for (const auto& value : values) {
    if (value && (!best || *value > *best)) best = value;
  }
  return best;
}

Spread Summarize(std::vector<Figure> rounds) {
  Spread spread;
  std::vector<double> present;
  for (const auto& value : rounds) {
    if (value) present.push_back(*value);
  }
  spread.rounds = std::move(rounds);
  if (present.empty()) return spread;
  std::sort(present.begin(), present.end());
  const std::size_t middle = present.size() / 2;
  spread.median = present.size() % 2 == 1 ? present[middle] : (present[middle - 1] + present[middle]) / 2;
  spread.min = present.front();
  spread.max = present.back();
  return spread;
}

Json SpreadToJson(const Spread& spread) {
  Json rounds = Json::array();
  for (const auto& value : spread.rounds) rounds.push_back(ToJson(value));
  return Json{{"median", ToJson(spread.median)},
              {"min", ToJson(spread.min)},
              {"max", ToJson(spread.max)},
              {"rounds", rounds}};
}

Spread SpreadFromJson(const Json& json) {
  Spread spread;
  if (!json.is_object()) return spread;
  spread.median = FromJson(json, "/median");
  spread.min = FromJson(json, "/min");
  spread.max = FromJson(json, "/max");
  if (json.contains("rounds") && json["rounds"].is_array()) {
    for (const auto& value : json["rounds"]) {
      spread.rounds.push_back(value.is_number() ? Figure(value.get<double>()) : std::nullopt);
    }
  }
  return spread;
}

std::string Verdict(Figure value, Bound bound, double limit) {
  if (!value) return "n/a";
  bool kept = bound == Bound::kAtMost ? *value <= limit : *value >= limit;
  return kept ? "PASS" : "MISS";
}

Json ToJson(Figure value) {
  if (!value) return nullptr;
  double whole = std::round(*value);
  if (whole == *value && std::fabs(whole) < 9.0e15) return static_cast<std::int64_t>(whole);
  return *value;
}

Figure FromJson(const Json& json, std::string_view pointer) {
  Json::json_pointer path{std::string(pointer)};
  if (!json.contains(path)) return std::nullopt;
  const Json& value = json.at(path);
  if (!value.is_number()) return std::nullopt;
  return value.get<double>();
}

}  // namespace hotorder::bench_report
