#include "tools/investigate/find_report.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "trace_builder.hpp"

namespace hotorder::investigate {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using namespace testing;

// Start times print in local time; pin the zone so the expected text is fixed.
class UtcZone {
 public:
  UtcZone() {
    if (const char* tz = std::getenv("TZ")) saved_ = tz;
    ::setenv("TZ", "UTC", 1);
    ::tzset();
  }
  ~UtcZone() {
    if (saved_) {
      ::setenv("TZ", saved_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }

 private:
  std::optional<std::string> saved_;
};

std::vector<Trace> TwoTraces() {
  auto errored = HotOrderSpecs();
  errored[6].tags.push_back(Tag("otel.status_code", "ERROR"));
  return {ParseOrFail(TraceJson({{"0000000000000001", "", "api-gateway", "GET /api/inventory",
                                  1'000, 5'000}},
                                "00000000000000000000000000000001")),
          ParseOrFail(TraceJson(errored))};
}

TEST(InvestigateFindReport, SummarizesEachTrace) {
  const TraceSummary summary = Summarize(ParseOrFail(TraceJson(HotOrderSpecs())));
  EXPECT_EQ(summary.trace_id, kTraceId);
  EXPECT_EQ(summary.start_us, kEpochUs);
  EXPECT_EQ(summary.duration_us, 380'000);
  EXPECT_EQ(summary.span_count, 8u);
  EXPECT_EQ(summary.service_count, 3u);
  EXPECT_EQ(summary.error_count, 0u);
  EXPECT_EQ(summary.root_service, "api-gateway");
  EXPECT_EQ(summary.root_operation, "POST /api/orders");
}

TEST(InvestigateFindReport, TableIsSlowestFirstWithLocalStartTimes) {
  UtcZone utc;
  const std::string expected =
      "TRACE ID                          START         DURATION  SPANS  SERVICES  ERRORS  ROOT\n"
      "4bf92f3577b34da6a3ce929d0e0e4736  22:13:20.000  380.00ms      8         3       1  "
      "api-gateway: POST /api/orders\n"
      "00000000000000000000000000000001  22:13:20.001    5.00ms      1         1       0  "
      "api-gateway: GET /api/inventory\n"
      "\n"
      "2 traces. Next: investigate explain 4bf92f3577b34da6a3ce929d0e0e4736\n";
  EXPECT_EQ(FormatFindTable(SummarizeSlowestFirst(TwoTraces())), expected);
}

TEST(InvestigateFindReport, ATraceListedTwiceIsShownOnce) {
  auto traces = TwoTraces();
  traces.push_back(traces[1]);
  EXPECT_EQ(SummarizeSlowestFirst(traces).size(), 2u);
}

TEST(InvestigateFindReport, JsonHasStableFields) {
  const json out = json::parse(FormatFindJson(SummarizeSlowestFirst(TwoTraces())));
  ASSERT_EQ(out.at("traces").size(), 2u);
  const json& first = out.at("traces")[0];
  EXPECT_EQ(first.at("trace_id"), kTraceId);
  EXPECT_EQ(first.at("start_time_us"), kEpochUs);
  EXPECT_EQ(first.at("duration_us"), 380'000);
  EXPECT_EQ(first.at("span_count"), 8);
  EXPECT_EQ(first.at("service_count"), 3);
  EXPECT_EQ(first.at("error_count"), 1);
  EXPECT_EQ(first.at("root"), json({{"service", "api-gateway"}, {"operation", "POST /api/orders"}}));
}

}  // namespace
}  // namespace hotorder::investigate
