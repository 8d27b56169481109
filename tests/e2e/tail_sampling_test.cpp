// The production Collector pipeline (collector-config/otelcol-tail-sampling.yaml) against a real Jaeger:
// tail sampling keeps every trace with an ERROR span, every slow trace and every trace whose
// root says hotorder.keep=true (what api-gateway records for baggage hotorder.keep=true), and
// about the configured share of the rest; span metrics count every span, sampled or not, and carry
// exemplars that name traces.
//
// Spans go straight to the Collector's OTLP/HTTP endpoint as OTLP/JSON, with timestamps the test
// chooses: a "slow" trace is slow because its span says so, not because the test waited.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/http_get.hpp"
#include "support/tracing_backend.hpp"

namespace hotorder::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr int kErrorTraces = 20;
constexpr int kSlowTraces = 20;
constexpr int kForceKeptTraces = 20;
constexpr int kFastTraces = 400;
constexpr int kPercentage = 10;  // of the fast ones: 40 expected
// Binomial(400, 0.1) has mean 40 and standard deviation 6: 15 and 75 are more than 4 standard
// deviations away, so the test does not flake, while 0% or 100% (a broken policy) fails it.
constexpr int kFastKeptMin = 15;
constexpr int kFastKeptMax = 75;
constexpr auto kSlowDuration = 400ms;  // threshold 250 ms, as the fault's +350 ms would cross it
constexpr auto kFastDuration = 5ms;
constexpr auto kJaegerTimeout = 30s;

// The backend with the tail-sampling pipeline, started once for this file's tests.
class TailSamplingTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    backend_ = std::make_unique<TracingBackend>(TracingBackendOptions{
        .collector_config = "otelcol-tail-sampling.yaml",
        .collector_env = {{"TAIL_SAMPLING_DECISION_WAIT", "1s"},
                          {"TAIL_SAMPLING_LATENCY_THRESHOLD_MS", "250"},
                          {"TAIL_SAMPLING_PERCENTAGE", std::to_string(kPercentage)},
                          {"SPANMETRICS_FLUSH_INTERVAL", "1s"}},
    });
    if (!backend_->Start()) error_ = backend_->error();
  }
  static void TearDownTestSuite() { backend_.reset(); }

  void SetUp() override { ASSERT_TRUE(error_.empty()) << error_; }

  static inline std::unique_ptr<TracingBackend> backend_;
  static inline std::string error_;
};

std::string Hex(std::mt19937_64& random, int bytes) {
  std::string out;
  char buffer[3];
  for (int i = 0; i < bytes; ++i) {
    std::snprintf(buffer, sizeof buffer, "%02x", static_cast<unsigned>(random() & 0xff));
    out += buffer;
  }
  return out;
}

std::uint64_t UnixNanos(std::chrono::system_clock::time_point time) {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count());
}

enum class Shape { kErrorInChild, kSlow, kFast, kForceKept };

// One trace of two spans (a SERVER root and an INTERNAL child) ending now.
struct TestTrace {
  std::string trace_id;
  json spans;
};

TestTrace MakeTrace(std::mt19937_64& random, Shape shape) {
  const auto end = std::chrono::system_clock::now();
  const auto start = end - (shape == Shape::kSlow ? kSlowDuration : kFastDuration);
  TestTrace trace{Hex(random, 16), json::array()};
  const std::string root_id = Hex(random, 8);
  json root = {{"traceId", trace.trace_id},
               {"spanId", root_id},
               {"name", "GET /sampled"},
               {"kind", 2},
               {"startTimeUnixNano", std::to_string(UnixNanos(start))},
               {"endTimeUnixNano", std::to_string(UnixNanos(end))},
               {"status", {{"code", 1}}}};
  json child = {{"traceId", trace.trace_id},
                {"spanId", Hex(random, 8)},
                {"parentSpanId", root_id},
                {"name", "work"},
                {"kind", 1},
                {"startTimeUnixNano", std::to_string(UnixNanos(start + 1ms))},
                {"endTimeUnixNano", std::to_string(UnixNanos(start + 2ms))},
                {"status", {{"code", 0}}}};
  // As api-gateway marks a request that asked for its trace to be kept.
  if (shape == Shape::kForceKept) {
    root["attributes"] = {{{"key", "hotorder.keep"}, {"value", {{"boolValue", true}}}}};
  }
  // The error sits in the child: the policy must keep the whole trace for one failed span.
  if (shape == Shape::kErrorInChild) child["status"] = {{"code", 2}, {"message", "failed"}};
  trace.spans.push_back(std::move(root));
  trace.spans.push_back(std::move(child));
  return trace;
}

// Posts the traces' spans as one OTLP/JSON request for `service`.
void Send(const std::string& collector_url, const std::string& service,
          const std::vector<TestTrace>& traces) {
  json spans = json::array();
  for (const auto& trace : traces) {
    for (const auto& span : trace.spans) spans.push_back(span);
  }
  json body = {
      {"resourceSpans",
       {{{"resource",
          {{"attributes", {{{"key", "service.name"}, {"value", {{"stringValue", service}}}}}}}},
         {"scopeSpans", {{{"scope", {{"name", "tail-sampling-test"}}}, {"spans", spans}}}}}}}};
  const auto response =
      HttpPost(collector_url + "/v1/traces", body.dump(), "application/json", {}, 10s);
  ASSERT_TRUE(response.ok()) << response.error;
  ASSERT_EQ(response.status, 200) << response.body;
}

std::vector<TestTrace> MakeTraces(std::mt19937_64& random, Shape shape, int count) {
  std::vector<TestTrace> traces;
  for (int i = 0; i < count; ++i) traces.push_back(MakeTrace(random, shape));
  return traces;
}

bool HasBothSpans(const json& found) {
  return found.contains("data") && !found["data"].empty() && found["data"][0]["spans"].size() == 2;
}

TEST_F(TailSamplingTest, KeepsErrorsSlowAndForceKeptTracesAndAShareOfTheRest) {
  std::mt19937_64 random(std::random_device{}());
  const std::string service = "tail-sampling-test";
  const std::string collector = backend_->collector_otlp_http_url();
  const auto errors = MakeTraces(random, Shape::kErrorInChild, kErrorTraces);
  const auto slow = MakeTraces(random, Shape::kSlow, kSlowTraces);
  const auto force_kept = MakeTraces(random, Shape::kForceKept, kForceKeptTraces);
  const auto fast = MakeTraces(random, Shape::kFast, kFastTraces);
  // Sent after the fast traces and kept for its error: once it is in Jaeger, the decisions on
  // the fast ones (made at the same tick or earlier) have been made and exported.
  const auto sentinel = MakeTraces(random, Shape::kErrorInChild, 1);
  Send(collector, service, errors);
  Send(collector, service, slow);
  Send(collector, service, force_kept);
  for (std::size_t i = 0; i < fast.size(); i += 100) {
    Send(collector, service, {fast.begin() + i, fast.begin() + std::min(fast.size(), i + 100)});
  }
  Send(collector, service, sentinel);
  if (HasFatalFailure()) return;

  const auto deadline = TracingBackend::Clock::now() + kJaegerTimeout;
  for (const auto* kept : {&errors, &slow, &force_kept, &sentinel}) {
    for (const auto& trace : *kept) {
      // Whole traces: both spans, though only one of them failed or was long.
      ASSERT_TRUE(backend_->WaitForTrace(trace.trace_id, HasBothSpans, deadline))
          << "a trace every policy run must keep is missing";
    }
  }

  int fast_kept = 0;
  for (const auto& trace : fast) {
    if (auto found = backend_->QueryJaeger("/api/traces/" + trace.trace_id)) {
      EXPECT_TRUE(HasBothSpans(*found)) << found->dump();
      ++fast_kept;
    }
  }
  std::printf("tail sampling kept %d of %d fast traces at %d%%\n", fast_kept, kFastTraces,
              kPercentage);
  EXPECT_GE(fast_kept, kFastKeptMin);
  EXPECT_LE(fast_kept, kFastKeptMax);
}

// The sum of the calls counters for `service`, and whether any of its lines has an exemplar.
struct CallsSeen {
  double calls = 0;
  bool exemplar = false;
};

CallsSeen ParseCalls(const std::string& metrics, const std::string& service) {
  CallsSeen seen;
  std::istringstream lines(metrics);
  std::string line;
  const std::string label = "service_name=\"" + service + "\"";
  while (std::getline(lines, line)) {
    if (line.rfind("traces_span_metrics_calls_total{", 0) != 0) continue;
    if (line.find(label) == std::string::npos) continue;
    // name{labels} value [# {exemplar labels} value timestamp]
    const auto close = line.find("} ");
    if (close == std::string::npos) continue;
    seen.calls += std::stod(line.substr(close + 2));
    const auto hash = line.find(" # {", close);
    if (hash != std::string::npos && line.find("trace_id=\"", hash) != std::string::npos) {
      seen.exemplar = true;
    }
  }
  return seen;
}

TEST_F(TailSamplingTest, SpanMetricsCountEverySpanAndLinkToTraces) {
  std::mt19937_64 random(std::random_device{}());
  const std::string service = "span-metrics-test";
  const std::string collector = backend_->collector_otlp_http_url();
  // Fast OK traces: tail sampling drops most of them, span metrics must still count them all.
  constexpr int kTraces = 50;
  Send(collector, service, MakeTraces(random, Shape::kFast, kTraces));
  if (HasFatalFailure()) return;
  const double expected_calls = 2 * kTraces;

  // Exemplars describe the spans of the last flush (SPANMETRICS_FLUSH_INTERVAL, 1 s here), so
  // while waiting the test keeps a trickle of traffic going: one more trace now and then.
  const auto deadline = TracingBackend::Clock::now() + 30s;
  auto next_trickle = TracingBackend::Clock::now() + 2s;
  double total_sent = expected_calls;
  CallsSeen seen;
  bool counted_all = false;
  std::string last;
  while (TracingBackend::Clock::now() < deadline) {
    const auto response = HttpGet(backend_->collector_metrics_url(),
                                  {{"Accept", "application/openmetrics-text"}}, 2s);
    if (response.ok() && response.status == 200) {
      EXPECT_NE(response.Header("Content-Type").value_or("").find("application/openmetrics-text"),
                std::string::npos);
      last = response.body;
      seen = ParseCalls(response.body, service);
      // Every span of the first batch counted, before any trickle could make up for a loss.
      if (seen.calls >= expected_calls && total_sent == expected_calls) counted_all = true;
      if (counted_all && seen.exemplar) break;
    } else {
      last = response.ok() ? "HTTP " + std::to_string(response.status) : response.error;
    }
    if (counted_all && TracingBackend::Clock::now() >= next_trickle) {
      Send(collector, service, MakeTraces(random, Shape::kFast, 1));
      total_sent += 2;
      next_trickle = TracingBackend::Clock::now() + 2s;
    }
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(counted_all) << "calls for " << service << ": " << seen.calls << ", expected "
                           << expected_calls << "\n"
                           << last.substr(0, 4000) << "\n"
                           << backend_->Diagnostics();
  EXPECT_TRUE(seen.exemplar) << "no exemplar with a trace_id for " << service << "\n"
                             << last.substr(0, 4000);
}

}  // namespace
}  // namespace hotorder::test
