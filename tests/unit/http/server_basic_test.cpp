// The server's request path: routing, the SERVER span the middleware makes, the headers every
// response gets, errors as JSON, keep-alive, and the untraced health endpoints.

#include <nlohmann/json.hpp>

#include "http/http_error.hpp"
#include "server_fixture.hpp"
#include "support/http_get.hpp"

namespace hotorder::http::test {
namespace {

using hotorder::test::HttpGet;
using hotorder::test::HttpPost;
using hotorder::test::HttpRequest;

constexpr std::string_view kParentTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
constexpr std::string_view kParentSpan = "00f067aa0ba902b7";

std::string ErrorCodeOf(const std::string& body) {
  return nlohmann::json::parse(body)["error"]["code"];
}

Router OrdersRouter() {
  Router router;
  router.Add("POST", "/orders/{id}", [](RequestContext& context) {
    nlohmann::json answer;
    answer["id"] = context.request.PathParam("id");
    answer["body"] = context.request.body;
    answer["tier"] = std::string(context.trace.baggage.Get("tier").value_or("none"));
    answer["span_matches"] = context.trace.span == context.server_span.context();
    context.log.Info("handling order");
    Response response = Response::Json(201, answer.dump());
    response.headers.emplace_back("X-Handler", "orders");
    return response;
  });
  router.Add("GET", "/orders", [](RequestContext&) { return Response::Json(200, "[]"); });
  router.Add("GET", "/conflict", [](RequestContext&) -> Response {
    throw HttpError(409, "conflict", "already placed");
  });
  router.Add("GET", "/crash", [](RequestContext&) -> Response {
    throw std::runtime_error("connection to db lost: password=hunter2");
  });
  return router;
}

class ServerBasicTest : public ServerFixture {};

TEST_F(ServerBasicTest, HappyPathMakesServerSpanChildOfIncomingTraceparent) {
  StartServer(OrdersRouter());
  const std::string traceparent =
      "00-" + std::string(kParentTrace) + "-" + std::string(kParentSpan) + "-01";
  const auto response = HttpPost(Url("/orders/abc?verbose=1"), R"({"qty":2})",
                                 "application/json",
                                 {{"traceparent", traceparent},
                                  {"baggage", "tier=gold"},
                                  {"User-Agent", "server-test/1.0"}});
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.status, 201) << response.body;
  const auto body = nlohmann::json::parse(response.body);
  EXPECT_EQ(body["id"], "abc");
  EXPECT_EQ(body["body"], R"({"qty":2})");
  EXPECT_EQ(body["tier"], "gold");
  EXPECT_EQ(body["span_matches"], true);
  EXPECT_EQ(response.Header("X-Handler"), "orders");
  EXPECT_EQ(response.Header("Content-Type"), "application/json");

  const auto spans = SpansNamed("POST /orders/{id}");
  ASSERT_EQ(spans.size(), 1u);
  const auto& span = spans[0];
  EXPECT_EQ(span.kind, telemetry::SpanKind::kServer);
  EXPECT_EQ(span.context.trace_id().ToHex(), kParentTrace);
  EXPECT_EQ(span.parent_span_id.ToHex(), kParentSpan);
  EXPECT_TRUE(span.parent_is_remote);
  EXPECT_EQ(span.status.code, telemetry::StatusCode::kUnset);
  EXPECT_EQ(StringAttr(span, "http.request.method"), "POST");
  EXPECT_EQ(StringAttr(span, "url.path"), "/orders/abc");
  EXPECT_EQ(StringAttr(span, "url.query"), "verbose=1");
  EXPECT_EQ(StringAttr(span, "url.scheme"), "http");
  EXPECT_EQ(StringAttr(span, "http.route"), "/orders/{id}");
  EXPECT_EQ(IntAttr(span, "http.response.status_code"), 201);
  EXPECT_EQ(StringAttr(span, "server.address"), "127.0.0.1");
  EXPECT_EQ(IntAttr(span, "server.port"), port());
  EXPECT_EQ(StringAttr(span, "client.address"), "127.0.0.1");
  EXPECT_GT(IntAttr(span, "client.port"), 0);
  EXPECT_EQ(StringAttr(span, "user_agent.original"), "server-test/1.0");
  EXPECT_EQ(StringAttr(span, "network.protocol.version"), "1.1");
  EXPECT_EQ(IntAttr(span, "http.request.body.size"), 9);

  EXPECT_EQ(response.Header("traceresponse"),
            "00-" + span.context.trace_id().ToHex() + "-" + span.context.span_id().ToHex() +
                "-01");
  EXPECT_EQ(response.Header("X-Trace-Id"), std::string(kParentTrace));

  // The handler's logger carries the SERVER span's ids.
  const auto lines = sink_->LinesContaining("handling order");
  ASSERT_EQ(lines.size(), 1u);
  const auto line = nlohmann::json::parse(lines[0]);
  EXPECT_EQ(line["trace_id"], kParentTrace);
  EXPECT_EQ(line["span_id"], span.context.span_id().ToHex());
  // One access line at debug level.
  EXPECT_TRUE(Eventually([&] {
    for (const auto& text : sink_->LinesContaining("\"msg\":\"request\"")) {
      auto access = nlohmann::json::parse(text);
      if (access["route"] == "/orders/{id}" && access["status"] == 201 &&
          access["method"] == "POST" && access["level"] == "debug" &&
          access.contains("duration_ms")) {
        return true;
      }
    }
    return false;
  }));
}

TEST_F(ServerBasicTest, RequestWithoutTraceparentStartsANewTrace) {
  StartServer(OrdersRouter());
  const auto response = HttpGet(Url("/orders"));
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.status, 200);
  const auto spans = SpansNamed("GET /orders");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_FALSE(spans[0].parent_span_id.IsValid());
  EXPECT_EQ(Attr(spans[0], "url.query"), nullptr);
  EXPECT_EQ(response.Header("X-Trace-Id"), spans[0].context.trace_id().ToHex());
}

TEST_F(ServerBasicTest, HttpErrorBecomesItsStatusAndJson) {
  StartServer(OrdersRouter());
  const auto response = HttpGet(Url("/conflict"));
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(response.body, R"({"error":{"code":"conflict","message":"already placed"}})");
  const auto spans = SpansNamed("GET /conflict");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status.code, telemetry::StatusCode::kError);
  EXPECT_EQ(Attr(spans[0], "error.type"), nullptr);  // only 5xx get error.type
  EXPECT_TRUE(response.Header("traceresponse").has_value());
  EXPECT_EQ(sink_->LinesContaining("request failed").size(), 1u);
}

TEST_F(ServerBasicTest, OtherExceptionBecomes500InternalWithoutDetail) {
  StartServer(OrdersRouter());
  const auto response = HttpGet(Url("/crash"));
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.status, 500);
  EXPECT_EQ(ErrorCodeOf(response.body), "internal");
  EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
  const auto spans = SpansNamed("GET /crash");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status.code, telemetry::StatusCode::kError);
  EXPECT_EQ(StringAttr(spans[0], "error.type"), "500");
  ASSERT_EQ(spans[0].events.size(), 1u);
  EXPECT_EQ(spans[0].events[0].name, "exception");
}

TEST_F(ServerBasicTest, UnknownPathIs404WithSpanNamedByMethodOnly) {
  StartServer(OrdersRouter());
  const auto response = HttpGet(Url("/nowhere"));
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(ErrorCodeOf(response.body), "not_found");
  const auto spans = SpansNamed("GET");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(Attr(spans[0], "http.route"), nullptr);
  EXPECT_EQ(spans[0].status.code, telemetry::StatusCode::kError);
  EXPECT_EQ(response.Header("X-Trace-Id"), spans[0].context.trace_id().ToHex());
}

TEST_F(ServerBasicTest, WrongMethodIs405WithAllow) {
  StartServer(OrdersRouter());
  const auto response = HttpRequest("DELETE", Url("/orders"), "");
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(ErrorCodeOf(response.body), "method_not_allowed");
  EXPECT_EQ(response.Header("Allow"), "GET");
  EXPECT_EQ(SpansNamed("DELETE /orders").size(), 1u);
}

TEST_F(ServerBasicTest, NonStandardMethodIsOtherAndSpanNamedHttp) {
  StartServer(OrdersRouter());
  RawClient client(port());
  ASSERT_TRUE(client.Send("BREW /orders HTTP/1.1\r\nHost: x\r\n\r\n"));
  const auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 405u);
  const auto spans = SpansNamed("HTTP");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(StringAttr(spans[0], "http.request.method"), "_OTHER");
  EXPECT_EQ(StringAttr(spans[0], "http.request.method_original"), "BREW");
}

TEST_F(ServerBasicTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  StartServer(OrdersRouter());
  RawClient client(port());
  ASSERT_TRUE(client.connected());
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client.Send(Get("/orders")));
    const auto response = client.Read();
    ASSERT_TRUE(response.has_value()) << "request " << i << ": " << client.last_error().message();
    EXPECT_EQ(response->result_int(), 200u);
    EXPECT_TRUE(response->keep_alive());
  }
  const auto spans = SpansNamed("GET /orders", 3);
  ASSERT_EQ(spans.size(), 3u);
  // One connection: the same client port on every span, and three different traces.
  EXPECT_EQ(IntAttr(spans[0], "client.port"), IntAttr(spans[1], "client.port"));
  EXPECT_EQ(IntAttr(spans[1], "client.port"), IntAttr(spans[2], "client.port"));
  EXPECT_NE(spans[0].context.trace_id(), spans[1].context.trace_id());
}

TEST_F(ServerBasicTest, PipelinedRequestsAreAnsweredInOrder) {
  StartServer(OrdersRouter());
  RawClient client(port());
  ASSERT_TRUE(client.Send(Get("/orders") + Get("/nowhere") + Get("/orders")));
  const auto first = client.Read();
  const auto second = client.Read();
  const auto third = client.Read();
  ASSERT_TRUE(first && second && third);
  EXPECT_EQ(first->result_int(), 200u);
  EXPECT_EQ(second->result_int(), 404u);
  EXPECT_EQ(third->result_int(), 200u);
}

TEST_F(ServerBasicTest, Http10WithoutKeepAliveIsClosedAfterTheResponse) {
  StartServer(OrdersRouter());
  RawClient client(port());
  ASSERT_TRUE(client.Send("GET /orders HTTP/1.0\r\n\r\n"));
  const auto response = client.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_EQ(response->version(), 10u);
  EXPECT_TRUE(client.ClosedByServer());
  const auto spans = SpansNamed("GET /orders");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(StringAttr(spans[0], "network.protocol.version"), "1.0");
}

TEST_F(ServerBasicTest, HealthzAndReadyzAreUntraced) {
  std::atomic<bool> ready{false};
  StartServer(OrdersRouter(), {}, [&ready] { return ready.load(); });

  auto live = HttpGet(Url("/healthz"));
  ASSERT_TRUE(live.ok()) << live.error;
  EXPECT_EQ(live.status, 200);
  EXPECT_EQ(live.body, R"({"status":"ok"})");
  EXPECT_FALSE(live.Header("traceresponse").has_value());

  auto not_ready = HttpGet(Url("/readyz"));
  ASSERT_TRUE(not_ready.ok()) << not_ready.error;
  EXPECT_EQ(not_ready.status, 503);
  EXPECT_EQ(ErrorCodeOf(not_ready.body), "not_ready");

  ready = true;
  auto is_ready = HttpGet(Url("/readyz"));
  ASSERT_TRUE(is_ready.ok()) << is_ready.error;
  EXPECT_EQ(is_ready.status, 200);
  EXPECT_EQ(is_ready.body, R"({"status":"ready"})");

  // A traced request afterwards is the only span.
  ASSERT_EQ(HttpGet(Url("/orders")).status, 200);
  ASSERT_EQ(SpansNamed("GET /orders").size(), 1u);
  EXPECT_EQ(spans_->SpanCount(), 1u);
}

TEST_F(ServerBasicTest, ReadinessCheckThatThrowsIsNotReady) {
  StartServer(OrdersRouter(), {}, []() -> bool { throw std::runtime_error("db down"); });
  auto response = HttpGet(Url("/readyz"));
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.status, 503);
}

}  // namespace
}  // namespace hotorder::http::test
