#include "bench/report/system_report.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace hotorder::bench_report {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

std::string_view Trim(std::string_view text) {
  auto first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

// The lines of a text, without their line ends.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    auto end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  while (true) {
    auto start = text.find_first_not_of(kWhitespace);
    if (start == std::string_view::npos) break;
    text.remove_prefix(start);
    auto end = text.find_first_of(kWhitespace);
    words.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end);
  }
  return words;
}

// A whole decimal number ("151", "1.5", "1763912188.123456789"); none for anything else.
Figure ParseNumber(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  std::string copy(text);
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(copy.c_str(), &end);
  if (errno != 0 || end != copy.c_str() + copy.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> ParseCount(std::string_view text) {
  text = Trim(text);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  if (text.size() > 19) return std::nullopt;  // beyond what fits without overflow checks
  std::uint64_t value = 0;
  for (char c : text) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  return value;
}

template <typename... Args>
std::string Format(const char* format, Args... args) {
  char text[512];  // a double with %f needs at most 317 characters
  int size = std::snprintf(text, sizeof text, format, args...);
  if (size < 0) return {};
  return std::string(text, std::min(static_cast<std::size_t>(size), sizeof text - 1));
}

// A figure as JSON: null, a whole number when it is one (as jq would print it), else a double.
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

std::string TextFromJson(const Json& json, std::string_view pointer) {
  Json::json_pointer path{std::string(pointer)};
  if (!json.contains(path)) return {};
  const Json& value = json.at(path);
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return {};
  return value.dump();
}

Figure Sum(Figure a, Figure b) {
  if (!a || !b) return std::nullopt;
  return *a + *b;
}
Figure Floor(Figure value) {
  if (!value) return std::nullopt;
  return std::floor(*value);
}
Figure Product(Figure a, Figure b) {
  if (!a || !b) return std::nullopt;
  return *a * *b;
}

// The sum of the error counts in a loadgen report ({"connect": 0, "read": 0, ...}).
Figure ErrorCount(const Json& report) {
  if (!report.contains("errors") || !report["errors"].is_object()) return std::nullopt;
  double total = 0;
  for (const auto& [name, count] : report["errors"].items()) {
    if (!count.is_number()) return std::nullopt;
    total += count.get<double>();
  }
  return total;
}

// Reads the facts the report needs, collecting a message for each one that is missing or
// malformed.
class FactReader {
 public:
  FactReader(const Facts& facts, std::vector<std::string>& errors) : facts_(facts), errors_(errors) {}

  std::string Text(const std::string& key) {
    auto found = facts_.find(key);
    if (found == facts_.end()) {
      errors_.push_back("facts.env has no " + key);
      return {};
    }
    return found->second;
  }
  Figure Number(const std::string& key) {
    auto found = facts_.find(key);
    if (found == facts_.end()) {
      errors_.push_back("facts.env has no " + key);
      return std::nullopt;
    }
    auto value = ParseNumber(found->second);
    if (!value) errors_.push_back("facts.env: " + key + "=" + found->second + " is not a number");
    return value;
  }
  std::optional<std::uint64_t> CpuTicks(const std::string& key) {
    std::string line = Text(key);
    if (line.empty()) return std::nullopt;
    auto ticks = ParseCpuTicks(line);
    if (!ticks) errors_.push_back("facts.env: " + key + " is not a /proc/<pid>/stat line: " + line);
    return ticks;
  }

 private:
  const Facts& facts_;
  std::vector<std::string>& errors_;
};

// A saturation run with the services' CPU time and the orders stored around it. Every 201
// stores one order, so the orders' count is the exact number of requests served, warm-up
// included, which loadgen's report (measured part only) is not.
struct MeasuredRun {
  Figure cpu_seconds;   // utime + stime of the three services over the run
  Figure orders;        // orders stored during the run
  Figure wall_seconds;  // the run's wall time, warm-up included
};

MeasuredRun ReadMeasuredRun(FactReader& facts, const std::string& run, Figure clk_tck) {
  MeasuredRun measured;
  Figure ticks = 0.0;
  for (const auto& service : ServiceNames()) {
    auto before = facts.CpuTicks(run + ".cpu_before." + service);
    auto after = facts.CpuTicks(run + ".cpu_after." + service);
    if (!before || !after) {
      ticks = std::nullopt;
      continue;
    }
    ticks = Sum(ticks, static_cast<double>(*after) - static_cast<double>(*before));
  }
  measured.cpu_seconds = Ratio(ticks, clk_tck);
  measured.orders = Delta(facts.Number(run + ".orders_after"), facts.Number(run + ".orders_before"));
  measured.wall_seconds = Delta(facts.Number(run + ".ended_at"), facts.Number(run + ".started_at"));
  return measured;
}

Json RunEntry(const Json& report) {
  Json entry;
  for (const char* field : {"requests_total", "target_rps", "achieved_rps"}) {
    entry[field] = report.contains(field) ? report[field] : Json(nullptr);
  }
  entry["p50_us"] = ToJson(FromJson(report, "/latency_us/p50"));
  entry["p99_us"] = ToJson(FromJson(report, "/latency_us/p99"));
  entry["max_us"] = ToJson(FromJson(report, "/latency_us/max"));
  entry["status"] = report.contains("status") ? report["status"] : Json::object();
  entry["errors"] = report.contains("errors") ? report["errors"] : Json::object();
  return entry;
}

// --- Markdown formatting ----------------------------------------------------------------------
// "—" for a missing figure, else the value with DECIMALS decimals and the suffix.
std::string Fmt(Figure value, int decimals = 0, std::string_view suffix = "") {
  if (!value) return "—";
  return Format("%.*f", decimals, *value) + std::string(suffix);
}
// "+12 µs", "-3 µs", "—".
std::string FmtSigned(Figure value, std::string_view suffix) {
  if (!value) return "—";
  return Format("%+.0f", *value) + std::string(suffix);
}
// A target as written in the table: 2 -> "2", 0.95 -> "0.95".
std::string FmtLimit(double limit) { return Format("%g", limit); }

std::string RoundsText(std::int64_t rounds) {
  if (rounds == 1) return "one round";
  if (rounds == 2) return "two interleaved rounds of which each client's better one counts";
  return std::to_string(rounds) + " interleaved rounds of which each client's best one counts";
}

}  // namespace

std::optional<Facts> ParseFacts(std::string_view text, std::string& error) {
  Facts facts;
  int number = 0;
  for (std::string_view line : Lines(text)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty() || line.front() == '#') continue;
    auto equals = line.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      error = "line " + std::to_string(number) + " is not key=value: " + std::string(line);
      return std::nullopt;
    }
    std::string key(line.substr(0, equals));
    if (!facts.emplace(key, std::string(line.substr(equals + 1))).second) {
      error = "line " + std::to_string(number) + ": " + key + " is given twice";
      return std::nullopt;
    }
  }
  return facts;
}

Figure ParseWrkRequestsPerSecond(std::string_view output) {
  constexpr std::string_view kLabel = "Requests/sec:";
  for (std::string_view line : Lines(output)) {
    line = Trim(line);
    if (line.starts_with(kLabel)) return ParseNumber(line.substr(kLabel.size()));
  }
  return std::nullopt;
}

Figure ParseFdatasyncMicros(std::string_view output) {
  // "        fdatasync                          6612.345 ops/sec     151 usecs/op"
  for (std::string_view line : Lines(output)) {
    auto words = Words(line);
    if (words.empty() || words.front() != "fdatasync") continue;
    auto unit = std::find(words.begin(), words.end(), "usecs/op");
    if (unit == words.end() || unit == words.begin() + 1) continue;  // the figure is not out yet
    return ParseNumber(*(unit - 1));
  }
  return std::nullopt;
}

std::optional<std::uint64_t> ParseCpuTicks(std::string_view stat_line) {
  // "1234 (api-gateway) S 1 ...": comm may contain spaces and parentheses, so the fields start
  // after the last ')'. State is field 3, so utime (14) and stime (15) are the 12th and 13th.
  auto paren = stat_line.rfind(')');
  if (paren == std::string_view::npos) return std::nullopt;
  auto fields = Words(stat_line.substr(paren + 1));
  if (fields.size() < 13) return std::nullopt;
  auto utime = ParseCount(fields[11]);
  auto stime = ParseCount(fields[12]);
  if (!utime || !stime) return std::nullopt;
  return *utime + *stime;
}

std::string ParseCpuModel(std::string_view lscpu_output) {
  constexpr std::string_view kLabel = "Model name:";
  for (std::string_view line : Lines(lscpu_output)) {
    if (line.starts_with(kLabel)) return std::string(Trim(line.substr(kLabel.size())));
  }
  return {};
}

std::optional<std::uint64_t> ParseMemTotalKib(std::string_view meminfo) {
  for (std::string_view line : Lines(meminfo)) {
    auto words = Words(line);
    if (words.size() >= 2 && words[0] == "MemTotal:") return ParseCount(words[1]);
  }
  return std::nullopt;
}

std::optional<TracingTotals> ParseTracingTotals(std::string_view log, std::string& error) {
  std::optional<Json> last;
  for (std::string_view line : Lines(log)) {
    if (line.find("\"tracing totals\"") == std::string_view::npos) continue;
    Json parsed = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object() && parsed.value("msg", "") == "tracing totals") last = std::move(parsed);
  }
  if (!last) {
    error = "no \"tracing totals\" line";
    return std::nullopt;
  }
  TracingTotals totals;
  const std::pair<const char*, std::uint64_t*> fields[] = {
      {"spans_started", &totals.spans_started},     {"spans_ended", &totals.spans_ended},
      {"spans_exported", &totals.spans_exported},   {"spans_dropped", &totals.spans_dropped},
      {"export_requests", &totals.export_requests}, {"export_failures", &totals.export_failures},
  };
  for (const auto& [name, target] : fields) {
    if (!last->contains(name)) continue;
    const Json& value = (*last)[name];
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0) {
      error = std::string("no whole number ") + name + " in: " + last->dump();
      return std::nullopt;
    }
    *target = value.get<std::uint64_t>();
  }
  return totals;
}

Figure Ratio(Figure numerator, Figure denominator) {
  if (!numerator || !denominator || *denominator == 0) return std::nullopt;
  return *numerator / *denominator;
}

Figure Delta(Figure value, Figure baseline) {
  if (!value || !baseline) return std::nullopt;
  return *value - *baseline;
}

Figure BestOf(const std::vector<Figure>& values) {
  Figure best;
  for (const auto& value : values) {
    if (value && (!best || *value > *best)) best = value;
  }
  return best;
}

std::string Verdict(Figure value, Bound bound, double limit) {
  if (!value) return "n/a";
  bool kept = bound == Bound::kAtMost ? *value <= limit : *value >= limit;
  return kept ? "PASS" : "MISS";
}

std::uint64_t SuccessfulRequests(const Json& report) {
  auto count = FromJson(report, "/status/2xx");
  return count && *count > 0 ? static_cast<std::uint64_t>(*count) : 0;
}

std::string RunSummaryLine(const Json& report) {
  return Fmt(Floor(FromJson(report, "/achieved_rps"))) +
         " req/s, p50 " + Fmt(FromJson(report, "/latency_us/p50")) + " µs, p99 " +
         Fmt(FromJson(report, "/latency_us/p99")) + " µs, 2xx " +
         Fmt(FromJson(report, "/status/2xx")) + " of " + Fmt(FromJson(report, "/requests_total")) +
         ", errors " + Fmt(ErrorCount(report));
}

std::vector<std::string> RunNames(int compare_rounds) {
  std::vector<std::string> names = {"floor-light",    "floor-saturation",  "hotorder-light",
                                    "hotorder-saturation", "traced-light", "traced-saturation"};
  for (int round = 1; round <= compare_rounds; ++round) {
    names.push_back("loadgen-closed-" + std::to_string(round));
  }
  names.push_back("loadgen-open");
  return names;
}

const std::vector<std::string>& ServiceNames() {
  static const std::vector<std::string> names = {"api-gateway", "order-service", "inventory-service"};
  return names;
}

Report BuildReport(const Inputs& inputs, const Targets& targets) {
  Report report;
  FactReader facts(inputs.facts, report.errors);

  const std::string mode = facts.Text("mode");
  if (!mode.empty() && mode != "full" && mode != "quick") {
    report.errors.push_back("facts.env: mode=" + mode + " is neither full nor quick");
  }
  const Figure rounds = facts.Number("compare_rounds");
  const Figure open_loop_rate = facts.Number("open_loop_rate");
  const Figure clk_tck = facts.Number("clk_tck");

  // Every loadgen run must have its report, and a run without one successful request measured
  // nothing: its latencies are those of failures.
  const int round_count = rounds && *rounds >= 1 && *rounds <= 100 ? static_cast<int>(*rounds) : 0;
  if (rounds && round_count == 0) report.errors.push_back("facts.env: compare_rounds must be 1 to 100");
  Json runs = Json::object();
  for (const auto& name : RunNames(round_count)) {
    auto found = inputs.runs.find(name);
    if (found == inputs.runs.end() || !found->second.is_object()) {
      report.errors.push_back("no loadgen report for the run '" + name + "'");
      continue;
    }
    const Json& run = found->second;
    auto successful = SuccessfulRequests(run);
    auto total = FromJson(run, "/requests_total");
    if (successful == 0) {
      report.errors.push_back("the run '" + name + "' had no successful request (" +
                              Fmt(total) + " requests)");
    } else if (total && *total > static_cast<double>(successful)) {
      report.warnings.push_back(name + ": " + Fmt(*total - static_cast<double>(successful)) +
                                " of " + Fmt(total) + " requests did not succeed");
    }
    runs[name] = RunEntry(run);
  }
  auto run_figure = [&](const std::string& name, std::string_view pointer) -> Figure {
    auto found = inputs.runs.find(name);
    if (found == inputs.runs.end()) return std::nullopt;
    return FromJson(found->second, pointer);
  };

  // The machine.
  Json machine;
  std::string cpu = ParseCpuModel(inputs.lscpu_output);
  machine["cpu"] = cpu.empty() ? Json("unknown CPU") : Json(cpu);
  machine["cores"] = ToJson(facts.Number("cores"));
  auto memory_kib = ParseMemTotalKib(inputs.meminfo);
  machine["memory_gib"] =
      memory_kib ? ToJson(std::round(static_cast<double>(*memory_kib) / 1048576.0 * 10) / 10)
                 : Json(nullptr);
  machine["kernel"] = facts.Text("kernel");

  Figure fsync_us = ParseFdatasyncMicros(inputs.pg_test_fsync_output);
  if (!fsync_us) report.warnings.push_back("no fdatasync figure in pg_test_fsync's output");

  // The floor and HotOrder, untraced; then traced.
  Figure floor_p50 = run_figure("floor-light", "/latency_us/p50");
  Figure floor_p99 = run_figure("floor-light", "/latency_us/p99");
  Figure floor_rps = run_figure("floor-saturation", "/achieved_rps");
  Figure hotorder_p50 = run_figure("hotorder-light", "/latency_us/p50");
  Figure hotorder_p99 = run_figure("hotorder-light", "/latency_us/p99");
  Figure hotorder_rps = run_figure("hotorder-saturation", "/achieved_rps");
  Figure traced_p50 = run_figure("traced-light", "/latency_us/p50");
  Figure traced_p99 = run_figure("traced-light", "/latency_us/p99");
  Figure traced_rps = run_figure("traced-saturation", "/achieved_rps");

  // Span export: the tracing totals of the processes that served the traced saturation run
  // alone, summed over the services; none when a service wrote no such line.
  std::optional<TracingTotals> totals = TracingTotals{};
  for (const auto& service : ServiceNames()) {
    auto log = inputs.traced_service_logs.find(service);
    std::string error = "no log";
    std::optional<TracingTotals> one;
    if (log != inputs.traced_service_logs.end()) one = ParseTracingTotals(log->second, error);
    if (!one) {
      report.warnings.push_back(service + " (traced saturation run): " + error +
                                "; the export figures are n/a");
      totals.reset();
      continue;
    }
    if (!totals) continue;
    totals->spans_started += one->spans_started;
    totals->spans_ended += one->spans_ended;
    totals->spans_exported += one->spans_exported;
    totals->spans_dropped += one->spans_dropped;
    totals->export_requests += one->export_requests;
    totals->export_failures += one->export_failures;
  }
  auto total = [&](std::uint64_t TracingTotals::*field) -> Figure {
    if (!totals) return std::nullopt;
    return static_cast<double>((*totals).*field);
  };
  Figure spans_exported = total(&TracingTotals::spans_exported);
  Figure export_requests = total(&TracingTotals::export_requests);

  MeasuredRun untraced = ReadMeasuredRun(facts, "hotorder-saturation", clk_tck);
  MeasuredRun traced = ReadMeasuredRun(facts, "traced-saturation", clk_tck);
  // CPU per span: the services' extra CPU per order when traced, spread over the spans an order
  // produced (exported spans / orders served by the traced processes).
  Figure cpu_us_per_span;
  if (spans_exported && *spans_exported > 0) {
    Figure extra_per_order =
        Delta(Ratio(traced.cpu_seconds, traced.orders), Ratio(untraced.cpu_seconds, untraced.orders));
    Figure spans_per_order = Ratio(spans_exported, traced.orders);
    cpu_us_per_span = Product(Ratio(extra_per_order, spans_per_order), 1e6);
  }
  Figure avg_spans_per_request;
  if (export_requests && *export_requests > 0) avg_spans_per_request = Ratio(spans_exported, export_requests);

  // loadgen against wrk: each client's best round.
  std::vector<Figure> wrk_rounds, loadgen_rounds;
  for (const auto& output : inputs.wrk_outputs) wrk_rounds.push_back(ParseWrkRequestsPerSecond(output));
  for (int round = 1; round <= round_count; ++round) {
    loadgen_rounds.push_back(run_figure("loadgen-closed-" + std::to_string(round), "/achieved_rps"));
  }
  if (static_cast<int>(wrk_rounds.size()) != round_count) {
    report.errors.push_back("wrk's output of " + std::to_string(wrk_rounds.size()) + " rounds, not " +
                            std::to_string(round_count));
  }
  for (std::size_t round = 0; round < wrk_rounds.size(); ++round) {
    if (!wrk_rounds[round]) {
      report.warnings.push_back("no Requests/sec in wrk's output of round " + std::to_string(round + 1));
    }
  }
  Figure wrk_rps = BestOf(wrk_rounds);
  Figure loadgen_rps = BestOf(loadgen_rounds);
  Figure open_rps = run_figure("loadgen-open", "/achieved_rps");
  Figure open_errors;
  if (auto open = inputs.runs.find("loadgen-open"); open != inputs.runs.end()) open_errors = ErrorCount(open->second);

  // The figures.
  Json& system = report.system;
  system["date"] = facts.Text("date");
  system["commit"] = facts.Text("commit");
  system["uncommitted_changes"] = facts.Text("uncommitted_changes") == "1";
  system["mode"] = mode;
  system["machine"] = machine;
  system["fsync_us"] = ToJson(fsync_us);

  const std::string light_rate = facts.Text("light_rate");
  const std::string light_duration = facts.Text("light_duration");
  const std::string warmup = facts.Text("warmup");
  const std::string concurrency = facts.Text("saturation_concurrency");
  const std::string saturation_duration = facts.Text("saturation_duration");
  system["workload"] = {
      {"light", light_rate + " req/s open loop for " + light_duration + " after " + warmup +
                    " warm-up, mix ok=100"},
      {"saturation", "closed loop, " + concurrency + " connections, " + saturation_duration +
                         " after " + warmup + " warm-up, mix ok=100"},
      {"stock_rows", ToJson(facts.Number("stock_rows"))},
      {"compare_duration", facts.Text("compare_duration")},
      {"compare_rounds", round_count},
      {"open_loop_rate", ToJson(open_loop_rate)},
  };
  system["targets"] = {
      {"p50_ratio", targets.p50_ratio},
      {"p99_ratio", targets.p99_ratio},
      {"traced_throughput_ratio", targets.traced_throughput_ratio},
      {"traced_p50_delta_us", targets.traced_p50_delta_us},
      {"dropped_spans", 0},
      {"loadgen_vs_wrk", targets.loadgen_vs_wrk},
      {"open_loop_rps", ToJson(open_loop_rate)},
      {"open_loop_sustained_share", targets.open_loop_sustained_share},
  };

  Figure p50_ratio = Ratio(hotorder_p50, floor_p50);
  Figure p99_ratio = Ratio(hotorder_p99, floor_p99);
  system["floor"] = {{"p50_us", ToJson(floor_p50)}, {"p99_us", ToJson(floor_p99)}, {"max_rps", ToJson(floor_rps)}};
  system["hotorder"] = {
      {"p50_us", ToJson(hotorder_p50)},
      {"p99_us", ToJson(hotorder_p99)},
      {"max_rps", ToJson(hotorder_rps)},
      {"p50_ratio", ToJson(p50_ratio)},
      {"p99_ratio", ToJson(p99_ratio)},
      {"max_rps_ratio", ToJson(Ratio(hotorder_rps, floor_rps))},
  };
  Figure throughput_ratio = Ratio(traced_rps, hotorder_rps);
  Figure p50_delta = Delta(traced_p50, hotorder_p50);
  system["tracing_overhead"] = {
      {"p50_us", ToJson(traced_p50)},
      {"p99_us", ToJson(traced_p99)},
      {"max_rps", ToJson(traced_rps)},
      {"throughput_ratio", ToJson(throughput_ratio)},
      {"p50_delta_us", ToJson(p50_delta)},
      {"p99_delta_us", ToJson(Delta(traced_p99, hotorder_p99))},
  };
  Figure dropped = total(&TracingTotals::spans_dropped);
  system["export"] = {
      {"spans_per_second", ToJson(Ratio(spans_exported, traced.wall_seconds))},
      {"avg_spans_per_request", ToJson(avg_spans_per_request)},
      {"dropped_spans", ToJson(dropped)},
      {"cpu_us_per_span", ToJson(cpu_us_per_span)},
      {"spans_started", ToJson(total(&TracingTotals::spans_started))},
      {"spans_ended", ToJson(total(&TracingTotals::spans_ended))},
      {"spans_exported", ToJson(spans_exported)},
      {"export_requests", ToJson(export_requests)},
      {"export_failures", ToJson(total(&TracingTotals::export_failures))},
      {"run_seconds", ToJson(traced.wall_seconds)},
      {"orders_served", ToJson(traced.orders)},
      {"services_cpu_seconds",
       {{"untraced", ToJson(untraced.cpu_seconds)},
        {"untraced_orders", ToJson(untraced.orders)},
        {"traced", ToJson(traced.cpu_seconds)},
        {"traced_orders", ToJson(traced.orders)}}},
  };
  Json wrk_rounds_json = Json::array(), loadgen_rounds_json = Json::array();
  for (const auto& value : wrk_rounds) wrk_rounds_json.push_back(ToJson(value));
  for (const auto& value : loadgen_rounds) loadgen_rounds_json.push_back(ToJson(value));
  Figure loadgen_ratio = Ratio(loadgen_rps, wrk_rps);
  system["loadgen"] = {
      {"wrk_rps", ToJson(wrk_rps)},
      {"loadgen_rps", ToJson(loadgen_rps)},
      {"ratio", ToJson(loadgen_ratio)},
      {"wrk_rounds_rps", wrk_rounds_json},
      {"loadgen_rounds_rps", loadgen_rounds_json},
      {"open_loop_rate", ToJson(open_loop_rate)},
      {"open_loop_achieved_rps", ToJson(open_rps)},
      {"open_loop_errors", ToJson(open_errors)},
  };
  Figure open_target = Product(open_loop_rate, targets.open_loop_sustained_share);
  system["verdicts"] = {
      {"p50_ratio", Verdict(p50_ratio, Bound::kAtMost, targets.p50_ratio)},
      {"p99_ratio", Verdict(p99_ratio, Bound::kAtMost, targets.p99_ratio)},
      {"traced_throughput_ratio", Verdict(throughput_ratio, Bound::kAtLeast, targets.traced_throughput_ratio)},
      {"traced_p50_delta_us", Verdict(p50_delta, Bound::kAtMost, targets.traced_p50_delta_us)},
      {"dropped_spans", Verdict(dropped, Bound::kAtMost, 0)},
      {"loadgen_vs_wrk", Verdict(loadgen_ratio, Bound::kAtLeast, targets.loadgen_vs_wrk)},
      {"open_loop", open_target ? Verdict(open_rps, Bound::kAtLeast, *open_target) : "n/a"},
  };
  system["runs"] = runs;
  return report;
}

std::vector<std::string> MissingFigures(const Json& system) {
  std::vector<std::string> missing;
  auto walk = [&](auto&& self, const Json& value, const std::string& path) -> void {
    if (value.is_null()) {
      missing.push_back(path);
    } else if (value.is_object()) {
      for (const auto& [key, child] : value.items()) self(self, child, path + "/" + key);
    } else if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) self(self, value[i], path + "/" + std::to_string(i));
    }
  };
  for (const char* section : {"fsync_us", "floor", "hotorder", "tracing_overhead", "export", "loadgen"}) {
    walk(walk, system.contains(section) ? system[section] : Json(nullptr), std::string("/") + section);
  }
  const Json verdicts = system.value("verdicts", Json::object());
  for (const auto& [key, verdict] : verdicts.items()) {
    if (verdict == "n/a") missing.push_back("/verdicts/" + key);
  }
  return missing;
}

std::string RenderMarkdown(const Json& system) {
  auto v = [&](std::string_view pointer) { return FromJson(system, pointer); };
  auto t = [&](std::string_view pointer) { return TextFromJson(system, pointer); };
  auto target = [&](std::string_view name) { return FmtLimit(v(std::string("/targets/") + std::string(name)).value_or(0)); };
  const bool quick = t("/mode") == "quick";
  const std::string out_dir = quick ? "build/bench/quick" : "build/bench";
  const std::string stock_rows = Fmt(v("/workload/stock_rows"));
  const std::string open_rate = Fmt(v("/workload/open_loop_rate"));
  const std::string machine = Fmt(v("/machine/cores")) + " × " + t("/machine/cpu") + ", " +
                              Fmt(v("/machine/memory_gib"), 1) + " GiB, Linux " + t("/machine/kernel");
  std::string commit = "`" + t("/commit") + "`";
  if (system.value("uncommitted_changes", false)) commit = "uncommitted changes on top of " + commit;

  std::string md;
  md += quick ? "# System benchmark results (quick run)\n\n" : "# System benchmark results\n\n";
  md += std::string("Generated by `./hotorder bench system") + (quick ? " --quick" : "") +
        "` (scripts/bench-system.sh) on " + t("/date") + " from\n`" + out_dir +
        "/system.json`; every figure is from that one run. Rerun the command to refresh.\n";
  if (quick) {
    md += "\nA quick run: the same steps as the full run with short durations and low rates (see the\n"
          "workload below), to check that the harness works end to end. Its figures are not\n"
          "measurements; bench/results.md has the full run's.\n";
  }
  md += "\n- Commit measured: " + commit + "\n";
  md += "- Machine: " + machine + "\n";
  md += "- `pg_test_fsync` on the Postgres data's filesystem: fdatasync of one 8 kB write takes\n  " +
        Fmt(v("/fsync_us"), 0, " µs") + "\n\n";

  md += "**How it is measured.** One private PostgreSQL with durable commits and " + stock_rows +
        " SKUs serves\n"
        "both systems. The *floor* (`bench/floor`, `floor_chain`) is the least a program can do for\n"
        "an order: three loopback HTTP/1.1 keep-alive hops (front → middle → back); the back reserves the\n"
        "stock of every line in one autocommit statement (all lines or none, availability checked on\n"
        "the locked rows); the middle then stores the order and its lines in one autocommit statement.\n"
        "Those are the same rows and the same two commits per order as HotOrder, done with blocking\n"
        "sockets, a thread per connection, libpq prepared statements, and no JSON library, tracing or\n"
        "framework. All load comes from `loadgen`, on the same 2 cores as the servers:\n\n";
  md += "- *light*: " + t("/workload/light") + "; latency without queueing;\n";
  md += "- *saturation*: " + t("/workload/saturation") + "; the most each system serves.\n\n";

  md += "## HotOrder against the floor (untraced, `OTEL_SDK_DISABLED=true`)\n\n"
        "p50/p99: latency of the light run. max req/s: achieved in the saturation run. Ratio: HotOrder\n"
        "over the floor.\n\n"
        "| | floor | HotOrder | ratio | target | |\n"
        "| --- | --- | --- | --- | --- | --- |\n";
  md += "| p50 | " + Fmt(v("/floor/p50_us"), 0, " µs") + " | " + Fmt(v("/hotorder/p50_us"), 0, " µs") +
        " | " + Fmt(v("/hotorder/p50_ratio"), 2, "×") + " | ≤ " + target("p50_ratio") + "× | " +
        t("/verdicts/p50_ratio") + " |\n";
  md += "| p99 | " + Fmt(v("/floor/p99_us"), 0, " µs") + " | " + Fmt(v("/hotorder/p99_us"), 0, " µs") +
        " | " + Fmt(v("/hotorder/p99_ratio"), 2, "×") + " | ≤ " + target("p99_ratio") + "× | " +
        t("/verdicts/p99_ratio") + " |\n";
  md += "| max req/s | " + Fmt(v("/floor/max_rps")) + " | " + Fmt(v("/hotorder/max_rps")) + " | " +
        Fmt(v("/hotorder/max_rps_ratio"), 2, "×") + " | — | |\n\n";

  md += "## Tracing overhead\n\n"
        "HotOrder again with 100% sampling, exporting OTLP/HTTP to a real OpenTelemetry Collector\n"
        "(collector-config/otelcol-all.yaml) that forwards to Jaeger. max req/s: traced saturation\n"
        "over untraced. p50/p99 of the light runs, traced minus untraced.\n\n"
        "| | untraced | traced | change | target | |\n"
        "| --- | --- | --- | --- | --- | --- |\n";
  md += "| max req/s | " + Fmt(v("/hotorder/max_rps")) + " | " + Fmt(v("/tracing_overhead/max_rps")) +
        " | " + Fmt(v("/tracing_overhead/throughput_ratio"), 3, "×") + " | ≥ " +
        target("traced_throughput_ratio") + "× | " + t("/verdicts/traced_throughput_ratio") + " |\n";
  md += "| p50 | " + Fmt(v("/hotorder/p50_us"), 0, " µs") + " | " + Fmt(v("/tracing_overhead/p50_us"), 0, " µs") +
        " | " + FmtSigned(v("/tracing_overhead/p50_delta_us"), " µs") + " | ≤ +" +
        target("traced_p50_delta_us") + " µs | " + t("/verdicts/traced_p50_delta_us") + " |\n";
  md += "| p99 | " + Fmt(v("/hotorder/p99_us"), 0, " µs") + " | " + Fmt(v("/tracing_overhead/p99_us"), 0, " µs") +
        " | " + FmtSigned(v("/tracing_overhead/p99_delta_us"), " µs") + " | — | |\n\n";

  md += "## Span export during the traced saturation run\n\n"
        "From the services' `tracing totals` log lines at shutdown, summed over the three services,\n"
        "whose processes lived for this run alone. Spans per second: exported spans over the run's wall\n"
        "time (warm-up included). Spans per export request: the average batch. CPU per span: the\n"
        "services' extra CPU per order when traced (utime+stime from /proc over the saturation runs,\n"
        "traced minus untraced), divided by the spans exported per order.\n\n"
        "| | measured | target | |\n"
        "| --- | --- | --- | --- |\n";
  md += "| spans exported per second | " + Fmt(v("/export/spans_per_second")) + " | — | |\n";
  md += "| spans per export request | " + Fmt(v("/export/avg_spans_per_request"), 1) + " | — | |\n";
  md += "| dropped spans | " + Fmt(v("/export/dropped_spans")) + " | " + target("dropped_spans") + " | " +
        t("/verdicts/dropped_spans") + " |\n";
  md += "| export failures | " + Fmt(v("/export/export_failures")) + " | — | |\n";
  md += "| CPU per span | " + Fmt(v("/export/cpu_us_per_span"), 2, " µs") + " | — | |\n\n";

  md += "## loadgen against wrk\n\n"
        "Each client alone on core 0 against `floor_chain echo` (one epoll thread answering 200 with a\n"
        "tiny body) alone on core 1, so the server outruns either client: 64 keep-alive connections,\n"
        "closed loop, " + t("/workload/compare_duration") + " each, in " +
        RoundsText(static_cast<std::int64_t>(v("/workload/compare_rounds").value_or(0))) + "\n"
        "(the cores are shared with the rest of the machine; wrk's output is in\n`" + out_dir +
        "/system-runs/wrk-*.txt`). Then loadgen in an open loop at " + open_rate + " req/s; an\n"
        "open loop cannot exceed its rate, so " +
        Fmt(Product(v("/targets/open_loop_sustained_share"), 100)) + "% of it counts as sustained (the rest is the edges of\n"
        "the run).\n\n"
        "| | wrk | loadgen | ratio | target | |\n"
        "| --- | --- | --- | --- | --- | --- |\n";
  md += "| closed loop req/s | " + Fmt(v("/loadgen/wrk_rps")) + " | " + Fmt(v("/loadgen/loadgen_rps")) +
        " | " + Fmt(v("/loadgen/ratio"), 2, "×") + " | ≥ " + target("loadgen_vs_wrk") + "× wrk | " +
        t("/verdicts/loadgen_vs_wrk") + " |\n";
  md += "| open loop at " + open_rate + " req/s: achieved | | " + Fmt(v("/loadgen/open_loop_achieved_rps")) +
        " | | ≥ " + Fmt(v("/targets/open_loop_rps")) + " req/s | " + t("/verdicts/open_loop") + " |\n\n";

  md += "## Every run\n\n"
        "Requests are the measured ones (warm-up excluded). Failed: not the expected status, or a\n"
        "transport error (connect, read, timeout); a run with failures is noted by the script.\n\n"
        "| run | requests | req/s | p50 | p99 | max | failed |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n";
  const Json runs = system.value("runs", Json::object());
  for (const auto& [name, run] : runs.items()) {
    Figure requests = FromJson(run, "/requests_total");
    Figure rps = FromJson(run, "/achieved_rps");
    md += "| " + name + " | " + Fmt(requests) + " | " + Fmt(Floor(rps)) +
          " | " + Fmt(FromJson(run, "/p50_us"), 0, " µs") + " | " + Fmt(FromJson(run, "/p99_us"), 0, " µs") +
          " | " + Fmt(FromJson(run, "/max_us"), 0, " µs") + " | " +
          Fmt(Delta(requests, FromJson(run, "/status/2xx"))) + " |\n";
  }
  return md;
}

std::string RenderSummary(const Json& system) {
  auto v = [&](std::string_view pointer) { return FromJson(system, pointer); };
  auto verdict = [&](std::string_view name) { return TextFromJson(system, std::string("/verdicts/") + std::string(name)); };
  std::string out;
  out += "floor vs HotOrder (untraced): p50 " + Fmt(v("/floor/p50_us")) + " -> " + Fmt(v("/hotorder/p50_us"), 0, " µs") +
         " (" + Fmt(v("/hotorder/p50_ratio"), 2, "×") + ", " + verdict("p50_ratio") + "), p99 " +
         Fmt(v("/floor/p99_us")) + " -> " + Fmt(v("/hotorder/p99_us"), 0, " µs") + " (" +
         Fmt(v("/hotorder/p99_ratio"), 2, "×") + ", " + verdict("p99_ratio") + "), max " +
         Fmt(v("/floor/max_rps")) + " -> " + Fmt(v("/hotorder/max_rps"), 0, " req/s") + " (" +
         Fmt(v("/hotorder/max_rps_ratio"), 2, "×") + ")\n";
  out += "tracing overhead: max req/s " + Fmt(v("/tracing_overhead/throughput_ratio"), 3, "×") + " (" +
         verdict("traced_throughput_ratio") + "), p50 " + FmtSigned(v("/tracing_overhead/p50_delta_us"), " µs") +
         " (" + verdict("traced_p50_delta_us") + "), p99 " +
         FmtSigned(v("/tracing_overhead/p99_delta_us"), " µs") + "\n";
  out += "span export: " + Fmt(v("/export/spans_per_second")) + " spans/s, " +
         Fmt(v("/export/avg_spans_per_request"), 1) + " per export request, " +
         Fmt(v("/export/dropped_spans")) + " dropped (" + verdict("dropped_spans") + "), " +
         Fmt(v("/export/export_failures")) + " export failures, CPU per span " +
         Fmt(v("/export/cpu_us_per_span"), 2, " µs") + "\n";
  out += "loadgen vs wrk: " + Fmt(v("/loadgen/loadgen_rps")) + " vs " + Fmt(v("/loadgen/wrk_rps"), 0, " req/s") +
         " (" + Fmt(v("/loadgen/ratio"), 2, "×") + ", " + verdict("loadgen_vs_wrk") + "); open loop at " +
         Fmt(v("/loadgen/open_loop_rate")) + " req/s achieved " + Fmt(v("/loadgen/open_loop_achieved_rps")) +
         " (" + verdict("open_loop") + ")\n";
  out += "pg_test_fsync: fdatasync " + Fmt(v("/fsync_us"), 0, " µs") + "\n";
  return out;
}

}  // namespace hotorder::bench_report
