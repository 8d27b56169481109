#include "tools/investigate/waterfall.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "trace_builder.hpp"

namespace hotorder::investigate {
namespace {

using ::testing::HasSubstr;
using namespace testing;

// Times chosen so the 40-column timeline is 2.5 ms per column.
Trace SmallTrace() {
  return ParseOrFail(TraceJson({
      {"0000000000000001", "", "svc-a", "GET /a", 0, 100'000},
      {"0000000000000002", "0000000000000001", "svc-a", "call-b", 10'000, 50'000, {},
       {Log(20'000, "cache-miss", {Tag("cache.key", "k 1"), Tag("cache.size", 3)})}},
      {"0000000000000003", "0000000000000002", "svc-b", "GET /b", 15'000, 40'000,
       {Tag("otel.status_code", "ERROR"), Tag("otel.status_description", "boom")}},
      {"0000000000000004", "0000000000000001", "svc-a", "write", 70'000, 20'000},
      {"0000000000000005", "00000000000000ff", "svc-c", "late", 50'000, 10'000},
  }));
}

TEST(InvestigateWaterfall, RendersTheGoldenAsciiOutput) {
  const std::string expected =
      "Trace 4bf92f3577b34da6a3ce929d0e0e4736  svc-a: GET /a  100.00ms  5 spans, 3 services, "
      "1 error\n"
      "\n"
      "SPAN        SERVICE  0 .. 100.00ms                              DURATION       SELF\n"
      "GET /a      svc-a    ########################################   100.00ms    30.00ms\n"
      "  call-b    svc-a    ----####################----------------    50.00ms    10.00ms\n"
      "      * +20.00ms  cache-miss  cache.key=\"k 1\" cache.size=3\n"
      "    GET /b  svc-b    ------################------------------    40.00ms    40.00ms  ERROR\n"
      "        ! error: boom\n"
      "  write     svc-a    ----------------------------########----    20.00ms    20.00ms\n"
      "late        svc-c    --------------------####----------------    10.00ms    10.00ms\n"
      "    ! parent 00000000000000ff is not in the trace (yet)\n";
  EXPECT_EQ(RenderWaterfall(SmallTrace(), {.ascii = true}), expected);
}

TEST(InvestigateWaterfall, UnicodeBarsUseBlocks) {
  const std::string text = RenderWaterfall(SmallTrace());
  EXPECT_THAT(text, HasSubstr("░░░░████████████████████░░░░░░░░░░░░░░░░"));
  EXPECT_THAT(text, HasSubstr("• +20.00ms  cache-miss"));
}

TEST(InvestigateWaterfall, HotOrderTraceShowsEverySpanAndTheEvent) {
  const std::string text = RenderWaterfall(ParseOrFail(TraceJson(HotOrderSpecs())), {.ascii = true});
  for (const char* name : {"POST /api/orders", "POST /orders", "validate-order", "POST /reserve",
                           "db.reserve-stock", "INSERT orders"}) {
    EXPECT_THAT(text, HasSubstr(name));
  }
  EXPECT_THAT(text, HasSubstr("* +10.00ms  slow-index-scan-detected  db.index=stock_sku_idx "
                              "db.rows_scanned=100000"));
  EXPECT_THAT(text, HasSubstr("\n          db.reserve-stock  "));  // depth 5
}

TEST(InvestigateBarFor, PositionsAndScalesToTheTimeline) {
  EXPECT_EQ(BarFor(0, 100, 0, 100).first, 0);
  EXPECT_EQ(BarFor(0, 100, 0, 100).last, 40);
  EXPECT_EQ(BarFor(25, 50, 0, 100).first, 10);
  EXPECT_EQ(BarFor(25, 50, 0, 100).last, 20);
  // An instant still gets a column, also at the very end.
  EXPECT_EQ(BarFor(50, 50, 0, 100).first, 20);
  EXPECT_EQ(BarFor(50, 50, 0, 100).last, 21);
  EXPECT_EQ(BarFor(100, 100, 0, 100).first, 39);
  EXPECT_EQ(BarFor(100, 100, 0, 100).last, 40);
  // A partial column rounds outwards.
  EXPECT_EQ(BarFor(1, 2, 0, 100).first, 0);
  EXPECT_EQ(BarFor(1, 2, 0, 100).last, 1);
  // A zero-length timeline fills the bar.
  EXPECT_EQ(BarFor(5, 5, 5, 5).last, 40);
}

}  // namespace
}  // namespace hotorder::investigate
