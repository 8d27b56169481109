#include "tools/investigate/jaeger_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/free_port.hpp"
#include "fake_jaeger.hpp"
#include "support/test_http_server.hpp"

namespace hotorder::investigate {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using namespace testing;
using namespace std::chrono_literals;

TEST(InvestigateJaegerClient, FetchesAndParsesATrace) {
  test::TestHttpServer server;
  server.Enqueue(Json(200, TraceAnswerJson()));
  const JaegerClient client(UrlOf(server.BaseUrl()), 5s);
  const TraceAnswer answer = client.GetTrace(kTraceId);
  ASSERT_EQ(answer.status, TraceAnswer::Status::kFound) << answer.error;
  EXPECT_EQ(answer.trace.spans.size(), 8u);
  ASSERT_EQ(server.RequestCount(), 1u);
  const auto request = server.Requests().front();
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.target, std::string("/api/traces/") + kTraceId);
}

TEST(InvestigateJaegerClient, KeepsTheBasePathPrefix) {
  test::TestHttpServer server;
  server.Enqueue(Json(200, TraceAnswerJson()));
  const JaegerClient client(UrlOf(server.BaseUrl() + "/jaeger/"), 5s);
  EXPECT_EQ(client.GetTrace(kTraceId).status, TraceAnswer::Status::kFound);
  EXPECT_EQ(server.Requests().front().target, std::string("/jaeger/api/traces/") + kTraceId);
}

TEST(InvestigateJaegerClient, Http404IsNotFound) {
  test::TestHttpServer server;
  server.Enqueue(Json(404, {{"data", nullptr}, {"errors", {{{"code", 404}, {"msg", "trace not found"}}}}}));
  const JaegerClient client(UrlOf(server.BaseUrl()), 5s);
  EXPECT_EQ(client.GetTrace(kTraceId).status, TraceAnswer::Status::kNotFound);
}

TEST(InvestigateJaegerClient, Http500IsAnErrorWithJaegersMessage) {
  test::TestHttpServer server;
  server.Enqueue(Json(500, {{"data", nullptr}, {"errors", {{{"code", 500}, {"msg", "storage down"}}}}}));
  const JaegerClient client(UrlOf(server.BaseUrl()), 5s);
  const TraceAnswer answer = client.GetTrace(kTraceId);
  EXPECT_EQ(answer.status, TraceAnswer::Status::kError);
  EXPECT_EQ(answer.error, "Jaeger at " + server.BaseUrl() + " answered HTTP 500: storage down");
}

TEST(InvestigateJaegerClient, BadJsonIsAnError) {
  test::TestHttpServer server;
  server.Enqueue({.status = 200, .body = "<html>not jaeger</html>"});
  server.Enqueue(Json(200, {{"data", json::array({{{"traceID", kTraceId}, {"spans", "x"}}})}}));
  const JaegerClient client(UrlOf(server.BaseUrl()), 5s);
  TraceAnswer answer = client.GetTrace(kTraceId);
  EXPECT_EQ(answer.status, TraceAnswer::Status::kError);
  EXPECT_EQ(answer.error, "bad answer from Jaeger at " + server.BaseUrl() + ": not JSON");
  answer = client.GetTrace(kTraceId);
  EXPECT_EQ(answer.status, TraceAnswer::Status::kError);
  EXPECT_THAT(answer.error, HasSubstr("\"spans\" is not an array"));
}

TEST(InvestigateJaegerClient, RefusedPortIsUnreachable) {
  const std::string url = "http://127.0.0.1:" + std::to_string(test::FreeLoopbackPort());
  const JaegerClient client(UrlOf(url), 5s);
  const TraceAnswer answer = client.GetTrace(kTraceId);
  EXPECT_EQ(answer.status, TraceAnswer::Status::kError);
  EXPECT_EQ(answer.error, "cannot reach Jaeger at " + url +
                              " (connection refused); is it running? try ./hotorder status");
}

TEST(InvestigateJaegerClient, SlowAnswerTimesOut) {
  test::TestHttpServer server;
  server.Enqueue({.status = 200, .body = "{}", .delay = 2000ms});
  const JaegerClient client(UrlOf(server.BaseUrl()), 200ms);
  const TraceAnswer answer = client.GetTrace(kTraceId);
  EXPECT_EQ(answer.status, TraceAnswer::Status::kError);
  EXPECT_THAT(answer.error, HasSubstr("did not answer (no answer within 200.00ms)"));
}

TEST(InvestigateJaegerClient, SearchSendsTheFiltersAndParsesTraces) {
  test::TestHttpServer server;
  server.Enqueue(Json(200, TraceAnswerJson()));
  const JaegerClient client(UrlOf(server.BaseUrl()), 5s);
  SearchQuery query{.service = "api-gateway",
                    .operation = "POST /api/orders",
                    .min_duration = Micros(300'000),
                    .lookback = std::chrono::minutes(10),
                    .limit = 5};
  const SearchAnswer answer = client.Search(query, 1'000'000'000);
  ASSERT_TRUE(answer.ok) << answer.error;
  EXPECT_EQ(answer.traces.size(), 1u);
  EXPECT_EQ(server.Requests().front().target,
            "/api/traces?service=api-gateway&operation=POST%20%2Fapi%2Forders"
            "&minDuration=300000us&start=400000000&end=1000000000&limit=5");
}

TEST(InvestigateSearchTarget, AddsMaxDurationWhenSet) {
  const SearchQuery query{.service = "s", .max_duration = Micros(2'000'000)};
  EXPECT_EQ(SearchTarget(query, 3'600'000'000),
            "/api/traces?service=s&maxDuration=2000000us&start=0&end=3600000000&limit=20");
}

}  // namespace
}  // namespace hotorder::investigate
