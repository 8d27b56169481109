#pragma once
// Figures that may be missing, the arithmetic on them, and their summary over rounds.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace hotorder::bench_report {

using Json = nlohmann::ordered_json;  // fields in the written order, for people reading it
// A measured value, or none (a step that produced no figure: "n/a" / "—" in the Markdown).
using Figure = std::optional<double>;

Figure Ratio(Figure numerator, Figure denominator);  // none when either is none, or b == 0
Figure Delta(Figure value, Figure baseline);         // value - baseline
Figure Sum(Figure a, Figure b);
Figure Product(Figure a, Figure b);
Figure BestOf(const std::vector<Figure>& values);    // the largest; none only when all are

// One figure measured once per round: its median (the middle value; with an even count, the
// mean of the two middle ones) and its spread, over the rounds that produced a value.
struct Spread {
  Figure median;
  Figure min;
  Figure max;
  std::vector<Figure> rounds;  // in round order, none where a round produced no value
};
Spread Summarize(std::vector<Figure> rounds);
// {"median": .., "min": .., "max": .., "rounds": [..]}; and back (an empty Spread for anything
// else).
Json SpreadToJson(const Spread& spread);
Spread SpreadFromJson(const Json& json);

enum class Bound { kAtMost, kAtLeast };
// "PASS" when the value keeps within the limit, "MISS" when not, "n/a" when there is no value.
std::string Verdict(Figure value, Bound bound, double limit);

// A figure as JSON: null, a whole number when it is one (as jq would print it), else a double.
Json ToJson(Figure value);
// The number at a JSON pointer ("/latency_us/p50"); none when absent or not a number.
Figure FromJson(const Json& json, std::string_view pointer);

}  // namespace hotorder::bench_report
