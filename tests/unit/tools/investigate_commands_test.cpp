#include "tools/investigate/commands.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "support/free_port.hpp"
#include "fake_jaeger.hpp"
#include "support/test_http_server.hpp"

namespace hotorder::investigate {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace testing;
using namespace std::chrono_literals;


struct Ran {
  int exit_code = -1;
  std::string out;
  std::string err;
};

Ran RunWith(Options options) {
  std::ostringstream out;
  std::ostringstream err;
  Ran ran;
  ran.exit_code = RunCommand(options, out, err);
  ran.out = out.str();
  ran.err = err.str();
  return ran;
}

Options ShowOptions(const std::string& url) {
  Options options;
  options.command = Command::kShow;
  options.trace_id = kTraceId;
  options.jaeger = UrlOf(url);
  options.ascii = true;
  return options;
}

TEST(InvestigateRunCommand, NotFoundWithoutWaitExitsThreeWithAHint) {
  test::TestHttpServer server;
  server.SetDefaultResponse(Json(404, {{"data", nullptr}}));
  const Ran ran = RunWith(ShowOptions(server.BaseUrl()));
  EXPECT_EQ(ran.exit_code, kExitNotFound);
  EXPECT_EQ(ran.out, "");
  EXPECT_EQ(ran.err, std::string("investigate: trace ") + kTraceId +
                         " is not in Jaeger (yet): spans arrive a few seconds after the request; "
                         "retry, or pass --wait 10s\n");
}

TEST(InvestigateRunCommand, WaitPollsUntilTheTraceArrives) {
  test::TestHttpServer server;
  server.Enqueue(Json(404, {{"data", nullptr}}));
  server.Enqueue(Json(404, {{"data", nullptr}}));
  server.SetDefaultResponse(Json(200, TraceAnswerJson()));
  Options options = ShowOptions(server.BaseUrl());
  options.wait = Micros(10'000'000);
  const Ran ran = RunWith(options);
  EXPECT_EQ(ran.exit_code, kExitOk) << ran.err;
  EXPECT_THAT(ran.out, StartsWith(std::string("Trace ") + kTraceId));
  EXPECT_THAT(ran.out, HasSubstr("slow-index-scan-detected"));
  // Found on the third request, then asked again until the span count held for kSettleTime.
  EXPECT_GE(server.RequestCount(), 3u + kSettleTime / kPollInterval);
}

TEST(InvestigateRunCommand, ShowJsonListsEverySpanInTreeOrderWithItsAttributesAndEvents) {
  test::TestHttpServer server;
  server.SetDefaultResponse(Json(200, TraceAnswerJson()));
  Options options = ShowOptions(server.BaseUrl());
  options.json = true;
  const Ran ran = RunWith(options);
  ASSERT_EQ(ran.exit_code, kExitOk) << ran.err;
  const auto shown = json::parse(ran.out);
  EXPECT_EQ(shown["trace_id"], kTraceId);
  const auto& spans = shown["spans"];
  ASSERT_EQ(spans.size(), shown["span_count"].get<std::size_t>());
  EXPECT_EQ(spans[0]["parent_span_id"], "");
  EXPECT_EQ(spans[0]["depth"], 0);
  EXPECT_EQ(spans[0]["start_offset_us"], 0);
  bool found_event = false;
  for (const auto& span : spans) {
    if (span["operation"] != "db.reserve-stock") continue;
    EXPECT_EQ(span["service"], "inventory-service");
    EXPECT_GT(span["depth"].get<int>(), 0);
    for (const auto& event : span["events"]) {
      found_event |= event["name"] == "slow-index-scan-detected" && event["attributes"].is_object();
    }
  }
  EXPECT_TRUE(found_event) << ran.out;
}

TEST(InvestigateRunCommand, WaitEndsWithNotFoundAtTheDeadline) {
  test::TestHttpServer server;
  server.SetDefaultResponse(Json(404, {{"data", nullptr}}));
  Options options = ShowOptions(server.BaseUrl());
  options.wait = Micros(600'000);
  const auto started = std::chrono::steady_clock::now();
  const Ran ran = RunWith(options);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_EQ(ran.exit_code, kExitNotFound);
  EXPECT_THAT(ran.err, HasSubstr("after waiting 600.00ms"));
  EXPECT_GE(server.RequestCount(), 2u);
}

TEST(InvestigateRunCommand, ExplainJsonNamesTheCulprit) {
  test::TestHttpServer server;
  server.SetDefaultResponse(Json(200, TraceAnswerJson()));
  Options options = ShowOptions(server.BaseUrl());
  options.command = Command::kExplain;
  options.json = true;
  const Ran ran = RunWith(options);
  ASSERT_EQ(ran.exit_code, kExitOk) << ran.err;
  const json out = json::parse(ran.out);
  EXPECT_EQ(out.at("culprit").at("operation"), "db.reserve-stock");
}

TEST(InvestigateRunCommand, UnreachableJaegerExitsOne) {
  const Ran ran = RunWith(ShowOptions("http://127.0.0.1:" + std::to_string(test::FreeLoopbackPort())));
  EXPECT_EQ(ran.exit_code, kExitJaegerError);
  EXPECT_THAT(ran.err, StartsWith("investigate: cannot reach Jaeger at http://127.0.0.1:"));
}

TEST(InvestigateRunCommand, FindListsSlowestFirst) {
  test::TestHttpServer server;
  auto slow = TraceJson(HotOrderSpecs());
  auto fast = TraceJson({{"0000000000000001", "", "api-gateway", "GET /api/inventory", 0, 5'000}},
                        "00000000000000000000000000000001");
  server.Enqueue(Json(200, {{"data", json::array({fast, slow})}}));
  Options options;
  options.command = Command::kFind;
  options.jaeger = UrlOf(server.BaseUrl());
  options.search.service = "api-gateway";
  const Ran ran = RunWith(options);
  ASSERT_EQ(ran.exit_code, kExitOk) << ran.err;
  const auto slow_at = ran.out.find(kTraceId);
  const auto fast_at = ran.out.find("00000000000000000000000000000001");
  ASSERT_NE(slow_at, std::string::npos);
  ASSERT_NE(fast_at, std::string::npos);
  EXPECT_LT(slow_at, fast_at);
}

TEST(InvestigateRunCommand, FindWithWaitListsTheAnswerOnceItHasSettled) {
  // The first answer lists only a fast trace; the slow one's spans arrive a poll later. A list
  // shown at the first answer would name the wrong slowest trace.
  test::TestHttpServer server;
  auto slow = TraceJson(HotOrderSpecs());
  auto fast = TraceJson({{"0000000000000001", "", "api-gateway", "GET /api/inventory", 0, 5'000}},
                        "00000000000000000000000000000001");
  server.Enqueue(Json(200, {{"data", json::array({fast})}}));
  server.SetDefaultResponse(Json(200, {{"data", json::array({fast, slow})}}));
  Options options;
  options.command = Command::kFind;
  options.json = true;
  options.wait = Micros(10'000'000);
  options.jaeger = UrlOf(server.BaseUrl());
  options.search.service = "api-gateway";
  const Ran ran = RunWith(options);
  ASSERT_EQ(ran.exit_code, kExitOk) << ran.err;
  const auto listed = json::parse(ran.out).at("traces");
  ASSERT_EQ(listed.size(), 2u) << ran.out;
  EXPECT_EQ(listed[0].at("trace_id"), kTraceId);
  EXPECT_GE(server.RequestCount(), 2u + kSettleTime / kPollInterval);
}

TEST(InvestigateRunCommand, FindWithNoMatchExitsThreeNamingTheFilters) {
  test::TestHttpServer server;
  server.SetDefaultResponse(Json(200, {{"data", json::array()}}));
  Options options;
  options.command = Command::kFind;
  options.jaeger = UrlOf(server.BaseUrl());
  options.search.service = "api-gateway";
  options.search.operation = "POST /api/orders";
  options.search.min_duration = Micros(300'000);
  const Ran ran = RunWith(options);
  EXPECT_EQ(ran.exit_code, kExitNotFound);
  EXPECT_EQ(ran.out, "");
  EXPECT_THAT(ran.err, HasSubstr("no trace in Jaeger at " + server.BaseUrl() +
                                 " matches service api-gateway, operation \"POST /api/orders\", "
                                 "at least 300.00ms, in the last 60m00.0s"));
}

TEST(InvestigateRunCommand, FindJsonWithNoMatchStillPrintsADocument) {
  test::TestHttpServer server;
  server.SetDefaultResponse(Json(200, {{"data", json::array()}}));
  Options options;
  options.command = Command::kFind;
  options.json = true;
  options.jaeger = UrlOf(server.BaseUrl());
  const Ran ran = RunWith(options);
  EXPECT_EQ(ran.exit_code, kExitNotFound);
  EXPECT_EQ(json::parse(ran.out), json({{"traces", json::array()}}));
  EXPECT_THAT(ran.err, HasSubstr("no trace in Jaeger"));
}

TEST(InvestigateRunCommand, JaegerErrorDuringFindExitsOne) {
  test::TestHttpServer server;
  server.Enqueue(Json(400, {{"data", nullptr}, {"errors", {{{"code", 400}, {"msg", "parameter 'service' is required"}}}}}));
  Options options;
  options.command = Command::kFind;
  options.jaeger = UrlOf(server.BaseUrl());
  const Ran ran = RunWith(options);
  EXPECT_EQ(ran.exit_code, kExitJaegerError);
  EXPECT_THAT(ran.err, HasSubstr("answered HTTP 400: parameter 'service' is required"));
}

}  // namespace
}  // namespace hotorder::investigate
