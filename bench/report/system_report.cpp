#include "bench/report/system_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace hotorder::bench_report {
namespace {

constexpr std::string_view kCpuBefore = ".cpu_before.";

std::string Whole(Figure value) {
  if (!value) return "—";
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", *value);
  return text;
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

  const Facts& all() const { return facts_; }

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

// A saturation run of HotOrder with the CPU time of the processes around it and the orders
// stored. Every 201 stores one order, so the orders' count is the exact number of requests
// served, warm-up included, which loadgen's report (measured part only) is not.
struct MeasuredRun {
  Figure services_cpu_seconds;  // utime + stime of the three services over the run
  Figure backend_cpu_seconds;   // of every other process the script recorded (the sink, or
                                // the Collector and Jaeger); 0 when it recorded none
  Figure orders;                // orders stored during the run
};

MeasuredRun ReadMeasuredRun(FactReader& facts, const std::string& run, Figure clk_tck) {
  // The processes are those the script recorded: "<run>.cpu_before.<process>".
  const std::string prefix = run + std::string(kCpuBefore);
  std::vector<std::string> backend;
  for (auto it = facts.all().lower_bound(prefix); it != facts.all().end() && it->first.starts_with(prefix); ++it) {
    std::string process = it->first.substr(prefix.size());
    if (std::find(ServiceNames().begin(), ServiceNames().end(), process) == ServiceNames().end()) {
      backend.push_back(process);
    }
  }
  auto ticks_of = [&](const std::vector<std::string>& processes) -> Figure {
    Figure ticks = 0.0;
    for (const auto& process : processes) {
      auto before = facts.CpuTicks(run + ".cpu_before." + process);
      auto after = facts.CpuTicks(run + ".cpu_after." + process);
      ticks = before && after ? Sum(ticks, static_cast<double>(*after) - static_cast<double>(*before))
                              : std::nullopt;
    }
    return ticks;
  };
  MeasuredRun measured;
  measured.services_cpu_seconds = Ratio(ticks_of(ServiceNames()), clk_tck);
  measured.backend_cpu_seconds = Ratio(ticks_of(backend), clk_tck);
  measured.orders = Delta(facts.Number(run + ".orders_after"), facts.Number(run + ".orders_before"));
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

// One system in one round.
struct RoundFigures {
  Figure p50_us, p99_us, max_rps;       // light run; saturation run
  Figure cpu_us_per_order;              // the services' (HotOrder only)
  Figure backend_cpu_us_per_order;      // the sink's, or the Collector's and Jaeger's
  Figure spans_per_order;               // traced only: exported spans / orders, whole phase
  std::optional<TracingTotals> totals;  // traced only: summed over the services
};

// Each named figure over the rounds, summarized.
class SpreadTable {
 public:
  void Add(const std::string& name, Figure value) { values_[name].push_back(value); }
  Spread Of(const std::string& name) const {
    auto found = values_.find(name);
    return Summarize(found == values_.end() ? std::vector<Figure>{} : found->second);
  }
  Json ToJsonObject(const std::vector<std::string>& names) const {
    Json object = Json::object();
    for (const auto& name : names) object[name] = SpreadToJson(Of(name));
    return object;
  }

 private:
  std::map<std::string, std::vector<Figure>> values_;
};

}  // namespace

const std::vector<std::string>& SystemNames() {
  static const std::vector<std::string> names = {"floor", "untraced", "sink", "collector"};
  return names;
}

bool IsTraced(const std::string& system) { return system == "sink" || system == "collector"; }

const std::vector<std::string>& TracedSystemNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> traced;
    for (const auto& system : SystemNames()) {
      if (IsTraced(system)) traced.push_back(system);
    }
    return traced;
  }();
  return names;
}

const std::vector<std::string>& ServiceNames() {
  static const std::vector<std::string> names = {"api-gateway", "order-service", "inventory-service"};
  return names;
}

std::string PhaseName(const std::string& system, int round) { return system + "-" + std::to_string(round); }
std::string LightRun(const std::string& system, int round) {
  return system + "-light-" + std::to_string(round);
}
std::string SaturationRun(const std::string& system, int round) {
  return system + "-saturation-" + std::to_string(round);
}

std::vector<std::string> RunNames(int rounds, int compare_rounds) {
  std::vector<std::string> names;
  for (int round = 1; round <= rounds; ++round) {
    for (const auto& system : SystemNames()) {
      names.push_back(LightRun(system, round));
      names.push_back(SaturationRun(system, round));
    }
  }
  for (int round = 1; round <= compare_rounds; ++round) {
    names.push_back("loadgen-closed-" + std::to_string(round));
  }
  names.push_back("loadgen-open");
  return names;
}

std::uint64_t SuccessfulRequests(const Json& report) {
  auto count = FromJson(report, "/status/2xx");
  return count && *count > 0 ? static_cast<std::uint64_t>(*count) : 0;
}

std::string RunSummaryLine(const Json& report) {
  Figure rps = FromJson(report, "/achieved_rps");
  return Whole(rps ? Figure(std::floor(*rps)) : std::nullopt) + " req/s, p50 " +
         Whole(FromJson(report, "/latency_us/p50")) + " µs, p99 " +
         Whole(FromJson(report, "/latency_us/p99")) + " µs, 2xx " +
         Whole(FromJson(report, "/status/2xx")) + " of " + Whole(FromJson(report, "/requests_total")) +
         ", errors " + Whole(ErrorCount(report));
}

Report BuildReport(const Inputs& inputs, const Targets& targets) {
  Report report;
  FactReader facts(inputs.facts, report.errors);

  const std::string mode = facts.Text("mode");
  if (!mode.empty() && mode != "full" && mode != "quick") {
    report.errors.push_back("facts.env: mode=" + mode + " is neither full nor quick");
  }
  auto count_of = [&](const std::string& key) {
    Figure value = facts.Number(key);
    if (value && (*value < 1 || *value > 100 || *value != std::floor(*value))) {
      report.errors.push_back("facts.env: " + key + " must be a whole number from 1 to 100");
      return 0;
    }
    return value ? static_cast<int>(*value) : 0;
  };
  const int rounds = count_of("rounds");
  const int compare_rounds = count_of("compare_rounds");
  std::string systems;
  for (const auto& name : SystemNames()) systems += (systems.empty() ? "" : " ") + name;
  if (std::string recorded = facts.Text("systems"); !recorded.empty() && recorded != systems) {
    report.errors.push_back("facts.env: systems=" + recorded + ", but bench_report knows " + systems);
  }
  const Figure open_loop_rate = facts.Number("open_loop_rate");
  const Figure clk_tck = facts.Number("clk_tck");

  // Every loadgen run must have its report, and a run without one successful request measured
  // nothing: its latencies are those of failures.
  Json runs = Json::object();
  for (const auto& name : RunNames(rounds, compare_rounds)) {
    auto found = inputs.runs.find(name);
    if (found == inputs.runs.end() || !found->second.is_object()) {
      report.errors.push_back("no loadgen report for the run '" + name + "'");
      continue;
    }
    const Json& run = found->second;
    auto successful = SuccessfulRequests(run);
    auto total = FromJson(run, "/requests_total");
    if (successful == 0) {
      report.errors.push_back("the run '" + name + "' had no successful request (" + Whole(total) +
                              " requests)");
    } else if (total && *total > static_cast<double>(successful)) {
      report.warnings.push_back(name + ": " + Whole(*total - static_cast<double>(successful)) +
                                " of " + Whole(total) + " requests did not succeed");
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

  // Every system in every round.
  std::map<std::string, std::vector<RoundFigures>> measured;  // system -> one per round
  for (int round = 1; round <= rounds; ++round) {
    for (const auto& system : SystemNames()) {
      RoundFigures figures;
      figures.p50_us = run_figure(LightRun(system, round), "/latency_us/p50");
      figures.p99_us = run_figure(LightRun(system, round), "/latency_us/p99");
      figures.max_rps = run_figure(SaturationRun(system, round), "/achieved_rps");
      if (system != "floor") {
        MeasuredRun run = ReadMeasuredRun(facts, SaturationRun(system, round), clk_tck);
        figures.cpu_us_per_order = Product(Ratio(run.services_cpu_seconds, run.orders), 1e6);
        figures.backend_cpu_us_per_order = Product(Ratio(run.backend_cpu_seconds, run.orders), 1e6);
      }
      if (IsTraced(system)) {
        const std::string phase = PhaseName(system, round);
        figures.totals = TracingTotals{};
        auto logs = inputs.service_logs.find(phase);
        for (const auto& service : ServiceNames()) {
          std::string error = "no log";
          std::optional<TracingTotals> one;
          if (logs != inputs.service_logs.end()) {
            if (auto log = logs->second.find(service); log != logs->second.end()) {
              one = ParseTracingTotals(log->second, error);
            }
          }
          if (!one) {
            report.warnings.push_back(service + " (" + phase + "): " + error + "; its export figures are n/a");
            figures.totals.reset();
            break;
          }
          *figures.totals += *one;
        }
        // The phase's processes served the light and the saturation run (warm-ups included).
        Figure orders = Delta(facts.Number(phase + ".orders_at_stop"), facts.Number(phase + ".orders_at_start"));
        if (figures.totals && figures.totals->spans_exported > 0) {
          figures.spans_per_order = Ratio(static_cast<double>(figures.totals->spans_exported), orders);
        }
      }
      measured[system].push_back(figures);
    }
  }

  // Each system's own figures, and the comparisons within each round.
  std::map<std::string, SpreadTable> own, tracing;
  SpreadTable vs_floor;
  for (int index = 0; index < rounds; ++index) {
    for (const auto& system : SystemNames()) {
      const RoundFigures& figures = measured[system][index];
      SpreadTable& table = own[system];
      table.Add("p50_us", figures.p50_us);
      table.Add("p99_us", figures.p99_us);
      table.Add("max_rps", figures.max_rps);
      table.Add("cpu_us_per_order", figures.cpu_us_per_order);
      table.Add("backend_cpu_us_per_order", figures.backend_cpu_us_per_order);
      table.Add("spans_per_order", figures.spans_per_order);
    }
    const RoundFigures& floor = measured["floor"][index];
    const RoundFigures& untraced = measured["untraced"][index];
    vs_floor.Add("p50_ratio", Ratio(untraced.p50_us, floor.p50_us));
    vs_floor.Add("p99_ratio", Ratio(untraced.p99_us, floor.p99_us));
    vs_floor.Add("max_rps_ratio", Ratio(untraced.max_rps, floor.max_rps));
    for (const auto& system : TracedSystemNames()) {
      const RoundFigures& traced = measured[system][index];
      SpreadTable& change = tracing[system];
      change.Add("throughput_ratio", Ratio(traced.max_rps, untraced.max_rps));
      change.Add("p50_delta_us", Delta(traced.p50_us, untraced.p50_us));
      change.Add("p99_ratio", Ratio(traced.p99_us, untraced.p99_us));
      // The services' extra CPU per order when traced, spread over the spans an order exported.
      change.Add("cpu_us_per_span",
                 Ratio(Delta(traced.cpu_us_per_order, untraced.cpu_us_per_order), traced.spans_per_order));
    }
  }

  // What each traced system exported over all its rounds.
  Json exported = Json::object();
  Figure dropped_spans = 0.0;
  for (const auto& system : TracedSystemNames()) {
    std::optional<TracingTotals> totals = TracingTotals{};
    for (const auto& round : measured[system]) {
      if (totals && round.totals) {
        *totals += *round.totals;
      } else {
        totals.reset();
      }
    }
    auto total = [&](std::uint64_t TracingTotals::*field) -> Figure {
      if (!totals) return std::nullopt;
      return static_cast<double>((*totals).*field);
    };
    Figure requests = total(&TracingTotals::export_requests);
    Json entry = {
        {"spans_started", ToJson(total(&TracingTotals::spans_started))},
        {"spans_ended", ToJson(total(&TracingTotals::spans_ended))},
        {"spans_exported", ToJson(total(&TracingTotals::spans_exported))},
        {"spans_dropped", ToJson(total(&TracingTotals::spans_dropped))},
        {"export_requests", ToJson(requests)},
        {"export_failures", ToJson(total(&TracingTotals::export_failures))},
        {"spans_per_request", ToJson(Ratio(total(&TracingTotals::spans_exported), requests))},
    };
    if (system == "sink") {
      // What the sink itself counted: every export request the services sent should be there.
      auto sink = ParseSinkTotals(inputs.sink_log);
      if (!sink) report.warnings.push_back("no totals in the OTLP sink's output");
      Figure received = sink ? Figure(static_cast<double>(sink->requests)) : std::nullopt;
      Figure bytes = sink ? Figure(static_cast<double>(sink->body_bytes)) : std::nullopt;
      entry["requests_received"] = ToJson(received);
      entry["bytes_per_span"] = ToJson(Ratio(bytes, total(&TracingTotals::spans_exported)));
    }
    exported[system] = entry;
    dropped_spans = Sum(dropped_spans, total(&TracingTotals::spans_dropped));
  }

  // loadgen against wrk: each client's best round.
  std::vector<Figure> wrk_rounds, loadgen_rounds;
  for (const auto& output : inputs.wrk_outputs) wrk_rounds.push_back(ParseWrkRequestsPerSecond(output));
  for (int round = 1; round <= compare_rounds; ++round) {
    loadgen_rounds.push_back(run_figure("loadgen-closed-" + std::to_string(round), "/achieved_rps"));
  }
  if (static_cast<int>(wrk_rounds.size()) != compare_rounds) {
    report.errors.push_back("wrk's output of " + std::to_string(wrk_rounds.size()) + " rounds, not " +
                            std::to_string(compare_rounds));
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
      {"rounds", rounds},
      {"stock_rows", ToJson(facts.Number("stock_rows"))},
      {"compare_duration", facts.Text("compare_duration")},
      {"compare_rounds", compare_rounds},
      {"open_loop_rate", ToJson(open_loop_rate)},
  };
  system["targets"] = {
      {"p50_ratio", targets.p50_ratio},
      {"p99_ratio", targets.p99_ratio},
      {"max_rps_ratio", targets.max_rps_ratio},
      {"traced_throughput_ratio", targets.traced_throughput_ratio},
      {"traced_p50_delta_us", targets.traced_p50_delta_us},
      {"traced_p99_ratio", targets.traced_p99_ratio},
      {"cpu_us_per_span", targets.cpu_us_per_span},
      {"dropped_spans", 0},
      {"loadgen_vs_wrk", targets.loadgen_vs_wrk},
      {"open_loop_rps", ToJson(open_loop_rate)},
      {"open_loop_sustained_share", targets.open_loop_sustained_share},
  };

  const std::vector<std::string> latency_and_rate = {"p50_us", "p99_us", "max_rps"};
  const std::vector<std::string> hotorder_figures = {"p50_us", "p99_us", "max_rps", "cpu_us_per_order"};
  const std::vector<std::string> traced_figures = {"p50_us",           "p99_us",
                                                   "max_rps",          "cpu_us_per_order",
                                                   "backend_cpu_us_per_order", "spans_per_order"};
  system["systems"] = {
      {"floor", own["floor"].ToJsonObject(latency_and_rate)},
      {"untraced", own["untraced"].ToJsonObject(hotorder_figures)},
      {"sink", own["sink"].ToJsonObject(traced_figures)},
      {"collector", own["collector"].ToJsonObject(traced_figures)},
  };
  system["hotorder_vs_floor"] = vs_floor.ToJsonObject({"p50_ratio", "p99_ratio", "max_rps_ratio"});
  const std::vector<std::string> changes = {"throughput_ratio", "p50_delta_us", "p99_ratio", "cpu_us_per_span"};
  system["tracing"] = {
      {"sink", tracing["sink"].ToJsonObject(changes)},
      {"collector", tracing["collector"].ToJsonObject(changes)},
  };
  system["export"] = exported;

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

  // The verdicts, on the medians; tracing's against the sink.
  Figure open_target = Product(open_loop_rate, targets.open_loop_sustained_share);
  const SpreadTable& sink = tracing["sink"];
  system["verdicts"] = {
      {"p50_ratio", Verdict(vs_floor.Of("p50_ratio").median, Bound::kAtMost, targets.p50_ratio)},
      {"p99_ratio", Verdict(vs_floor.Of("p99_ratio").median, Bound::kAtMost, targets.p99_ratio)},
      {"max_rps_ratio", Verdict(vs_floor.Of("max_rps_ratio").median, Bound::kAtLeast, targets.max_rps_ratio)},
      {"traced_throughput_ratio",
       Verdict(sink.Of("throughput_ratio").median, Bound::kAtLeast, targets.traced_throughput_ratio)},
      {"traced_p50_delta_us", Verdict(sink.Of("p50_delta_us").median, Bound::kAtMost, targets.traced_p50_delta_us)},
      {"traced_p99_ratio", Verdict(sink.Of("p99_ratio").median, Bound::kAtMost, targets.traced_p99_ratio)},
      {"cpu_us_per_span", Verdict(sink.Of("cpu_us_per_span").median, Bound::kAtMost, targets.cpu_us_per_span)},
      {"dropped_spans", Verdict(dropped_spans, Bound::kAtMost, 0)},
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
  for (const char* section : {"fsync_us", "systems", "hotorder_vs_floor", "tracing", "export", "loadgen"}) {
    walk(walk, system.contains(section) ? system[section] : Json(nullptr), std::string("/") + section);
  }
  const Json verdicts = system.value("verdicts", Json::object());
  for (const auto& [key, verdict] : verdicts.items()) {
    if (verdict == "n/a") missing.push_back("/verdicts/" + key);
  }
  return missing;
}

}  // namespace hotorder::bench_report
