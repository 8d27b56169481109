#include "loadgen/report.hpp"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

namespace hotorder::loadgen {
namespace {

using Json = nlohmann::ordered_json;  // fields in the documented order, for people reading it

template <typename... Args>
std::string Format(const char* format, Args... args) {
  char text[256];
  int size = std::snprintf(text, sizeof text, format, args...);
  if (size < 0) return {};
  if (static_cast<std::size_t>(size) < sizeof text) return std::string(text, static_cast<std::size_t>(size));
  std::string long_text(static_cast<std::size_t>(size) + 1, '\0');
  std::snprintf(long_text.data(), long_text.size(), format, args...);
  long_text.resize(static_cast<std::size_t>(size));
  return long_text;
}

// 1234567 -> "1,234,567".
std::string Grouped(std::uint64_t value) {
  std::string digits = std::to_string(value);
  std::string text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

// A rate: grouped whole numbers from 100 up, one decimal below.
std::string Rate(double rate) {
  if (!(rate >= 0)) return "0";
  if (rate >= 99.95) return Grouped(static_cast<std::uint64_t>(std::llround(rate)));
  return Format("%.1f", rate);
}

// Three significant digits in the largest unit that keeps the number >= 1: "812µs", "1.25ms",
// "12.5ms", "125ms", "2.40s". Thresholds sit at the rounded value so 999.7ms reads "1.00s".
std::string Duration(std::int64_t us) {
  if (us < 1000) return Format("%lldµs", static_cast<long long>(std::max<std::int64_t>(us, 0)));
  auto scaled = [](double value, const char* unit) {
    if (value < 9.995) return Format("%.2f%s", value, unit);
    if (value < 99.95) return Format("%.1f%s", value, unit);
    return Format("%.0f%s", value, unit);
  };
  double ms = static_cast<double>(us) / 1e3;
  if (ms < 999.5) return scaled(ms, "ms");
  return scaled(ms / 1e3, "s");
}

std::string Seconds(double seconds) { return Format("%.1fs", seconds); }

double AchievedRps(const RunFacts& facts, const RunTotals& totals) {
  return facts.measured_s > 0 ? static_cast<double>(totals.requests_total) / facts.measured_s : 0;
}

std::string JaegerUrl(const std::string& jaeger_ui_url, const std::string& trace_id) {
  return jaeger_ui_url + "/trace/" + trace_id;
}

std::string ModeText(const RunFacts& facts) {
  if (facts.mode == LoopMode::kOpen) return "open loop, " + Rate(facts.target_rps) + " req/s";
  return "closed loop, concurrency " + std::to_string(facts.concurrency);
}

std::string StatusText(const RequestSummary& slow) {
  return slow.status == 0 ? "error" : std::to_string(slow.status);
}

std::string Padded(std::string text, std::size_t width, bool right = false) {
  // Display width: "µ" is two bytes but one column.
  std::size_t columns = 0;
  for (unsigned char c : text) columns += (c & 0xC0) != 0x80;
  if (columns >= width) return text;
  std::string pad(width - columns, ' ');
  return right ? pad + text : text + pad;
}

}  // namespace

std::string FormatTextReport(const RunFacts& facts, const RunTotals& totals,
                             const std::string& jaeger_ui_url) {
  std::string out;
  auto line = [&](std::string_view label, const std::string& text) {
    out += Padded(std::string(label), 11);
    out += text;
    out += '\n';
  };

  std::string run = facts.target + "  " + ModeText(facts);
  if (facts.connections > 0) run += ", " + std::to_string(facts.connections) + " connections";
  line("loadgen", run);
  std::string timing = Seconds(facts.measured_s) + " measured";
  if (facts.warmup_s > 0) timing += " after " + Seconds(facts.warmup_s) + " warm-up";
  timing += facts.traced ? ", traced" : ", not traced";
  line("run", timing);
  line("mix", facts.mix);
  if (facts.interrupted) {
    line("PARTIAL", "interrupted: the figures cover only the " + Seconds(facts.measured_s) +
                        " measured before the stop");
  }
  out += '\n';

  std::string requests = Grouped(totals.requests_total) + "  (achieved " +
                         Rate(AchievedRps(facts, totals)) + " req/s";
  if (facts.mode == LoopMode::kOpen) {
    requests += " of target " + Rate(facts.target_rps) + "; schedule lag p50 " +
                Duration(totals.schedule_lag.ValueAtPercentile(50)) + "  p99 " +
                Duration(totals.schedule_lag.ValueAtPercentile(99)) + "  max " +
                Duration(totals.schedule_lag.Max());
  }
  requests += ")";
  line("requests", requests);
  if (facts.unsent > 0) {
    line("unsent", Grouped(facts.unsent) + "  (scheduled but never sent: the target rate was not reached)");
  }

  std::string classes;
  for (std::size_t klass = 1; klass < totals.status_classes.size(); ++klass) {
    // 2xx, 4xx and 5xx always; 1xx and 3xx only when something answered with them.
    if (totals.status_classes[klass] == 0 && (klass == 1 || klass == 3)) continue;
    if (!classes.empty()) classes += "  ";
    classes += std::to_string(klass) + "xx " + Grouped(totals.status_classes[klass]);
  }
  line("status", classes);
  line("errors", "connect " + Grouped(totals.connect_errors) + "  read " +
                     Grouped(totals.read_errors) + "  timeout " + Grouped(totals.timeouts) +
                     "  status " + Grouped(totals.status_errors));
  const auto& latency = totals.latency;
  line("latency", "p50 " + Duration(latency.ValueAtPercentile(50)) + "  p90 " +
                      Duration(latency.ValueAtPercentile(90)) + "  p99 " +
                      Duration(latency.ValueAtPercentile(99)) + "  p99.9 " +
                      Duration(latency.ValueAtPercentile(99.9)) + "  max " +
                      Duration(latency.Max()) + "  mean " +
                      Duration(std::llround(latency.Mean())) +
                      (latency.Count() < totals.requests_total ? "  (responses only)" : ""));

  out += '\n';
  out += Padded("scenario", 14) + Padded("requests", 12, true) + Padded("expected", 10, true) +
         Padded("% expected", 12, true) + Padded("p50", 10, true) + Padded("p99", 10, true) +
         "  other outcomes\n";
  for (Scenario scenario : kAllScenarios) {
    const auto& counts = totals.by_scenario[static_cast<std::size_t>(scenario)];
    if (counts.requests == 0) continue;
    int expected = ExpectedStatus(scenario);
    double percent = 100.0 * static_cast<double>(counts.expected_status) /
                     static_cast<double>(counts.requests);
    std::string others;
    for (const auto& [status, n] : counts.statuses) {
      if (status == expected) continue;
      if (!others.empty()) others += "  ";
      others += std::to_string(status) + " x" + Grouped(n);
    }
    if (counts.transport_errors > 0) {
      if (!others.empty()) others += "  ";
      others += "transport errors x" + Grouped(counts.transport_errors);
    }
    out += Padded(std::string(ScenarioName(scenario)), 14) +
           Padded(Grouped(counts.requests), 12, true) + Padded(std::to_string(expected), 10, true) +
           Padded(Format("%.2f%%", percent), 12, true) +
           Padded(Duration(counts.latency.ValueAtPercentile(50)), 10, true) +
           Padded(Duration(counts.latency.ValueAtPercentile(99)), 10, true) + "  " +
           (others.empty() ? "-" : others) + "\n";
  }

  if (!totals.slowest.empty()) {
    out += "\nslowest requests\n";
    for (const auto& slow : totals.slowest) {
      std::string row = "  " + Padded(Duration(slow.latency_us), 9, true) + "  " +
                        Padded(std::string(ScenarioName(slow.scenario)), 14) +
                        Padded(StatusText(slow), 7);
      if (slow.trace_id.empty()) {
        row += "(no trace id)";
      } else {
        row += slow.trace_id + "  " + JaegerUrl(jaeger_ui_url, slow.trace_id);
      }
      out += row + "\n";
    }
  }
  return out;
}

std::string FormatJsonReport(const RunFacts& facts, const RunTotals& totals,
                             const std::string& jaeger_ui_url) {
  Json report;
  report["target"] = facts.target;
  report["mode"] = facts.mode == LoopMode::kOpen ? "open" : "closed";
  report["target_rps"] = facts.target_rps;
  report["concurrency"] = facts.concurrency;
  report["connections"] = facts.connections;
  report["mix"] = facts.mix;
  report["traced"] = facts.traced;
  report["measured_s"] = facts.measured_s;
  report["warmup_s"] = facts.warmup_s;
  report["interrupted"] = facts.interrupted;
  report["requests_total"] = totals.requests_total;
  report["achieved_rps"] = AchievedRps(facts, totals);
  report["unsent"] = facts.unsent;

  const auto& latency = totals.latency;
  report["latency_us"] = {
      {"count", latency.Count()},
      {"p50", latency.ValueAtPercentile(50)},
      {"p90", latency.ValueAtPercentile(90)},
      {"p99", latency.ValueAtPercentile(99)},
      {"p999", latency.ValueAtPercentile(99.9)},
      {"max", latency.Max()},
      {"min", latency.Min()},
      {"mean", latency.Mean()},
  };
  report["schedule_lag_us"] = {
      {"p50", totals.schedule_lag.ValueAtPercentile(50)},
      {"p99", totals.schedule_lag.ValueAtPercentile(99)},
      {"max", totals.schedule_lag.Max()},
  };
  Json status = Json::object();
  for (std::size_t klass = 1; klass < totals.status_classes.size(); ++klass) {
    status[std::to_string(klass) + "xx"] = totals.status_classes[klass];
  }
  report["status"] = status;
  report["errors"] = {
      {"connect", totals.connect_errors},
      {"read", totals.read_errors},
      {"timeout", totals.timeouts},
      {"status", totals.status_errors},
  };

  Json by_scenario = Json::object();
  for (Scenario scenario : kAllScenarios) {
    const auto& counts = totals.by_scenario[static_cast<std::size_t>(scenario)];
    Json statuses = Json::object();
    for (const auto& [code, n] : counts.statuses) statuses[std::to_string(code)] = n;
    by_scenario[std::string(ScenarioName(scenario))] = {
        {"requests", counts.requests},
        {"expected_code", ExpectedStatus(scenario)},
        {"expected_status", counts.expected_status},
        {"statuses", statuses},
        {"transport_errors", counts.transport_errors},
        {"p50_us", counts.latency.ValueAtPercentile(50)},
        {"p99_us", counts.latency.ValueAtPercentile(99)},
    };
  }
  report["by_scenario"] = by_scenario;

  Json slowest = Json::array();
  for (const auto& slow : totals.slowest) {
    bool traced = !slow.trace_id.empty();
    slowest.push_back({
        {"trace_id", traced ? Json(slow.trace_id) : Json(nullptr)},
        {"latency_us", slow.latency_us},
        {"scenario", ScenarioName(slow.scenario)},
        {"status", slow.status},
        {"jaeger_url", traced ? Json(JaegerUrl(jaeger_ui_url, slow.trace_id)) : Json(nullptr)},
    });
  }
  report["slowest"] = slowest;
  return report.dump(2) + "\n";
}

std::string FormatTraceIds(const std::vector<RequestSummary>& requests) {
  std::string out = "trace_id\tscenario\tstatus\tlatency_us\n";
  for (const auto& request : requests) {
    if (request.trace_id.empty()) continue;
    out += request.trace_id + "\t" + std::string(ScenarioName(request.scenario)) + "\t" +
           std::to_string(request.status) + "\t" + std::to_string(request.latency_us) + "\n";
  }
  return out;
}

std::string FormatCsvIntervals(const std::vector<IntervalStats>& intervals) {
  std::string out = "second,requests,rate,errors,p50_us,p99_us,max_us\n";
  for (const auto& interval : intervals) {
    out += Format("%.1f,%llu,%.1f,%llu,%lld,%lld,%lld\n", interval.elapsed_s,
                  static_cast<unsigned long long>(interval.requests), interval.rate,
                  static_cast<unsigned long long>(interval.errors),
                  static_cast<long long>(interval.p50_us), static_cast<long long>(interval.p99_us),
                  static_cast<long long>(interval.max_us));
  }
  return out;
}

std::string FormatProgressLine(const IntervalStats& interval, double target_rps) {
  std::string line = Padded(Seconds(interval.elapsed_s), 7, true) + "  " +
                     Padded(Rate(interval.rate), 7, true) + " req/s";
  if (target_rps > 0) line += " (target " + Rate(target_rps) + ")";
  line += "  errors " + Grouped(interval.errors) + "   p50 " + Duration(interval.p50_us) +
          "  p99 " + Duration(interval.p99_us);
  return line;
}

}  // namespace hotorder::loadgen
