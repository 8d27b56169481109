#include "http/router.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "http/http_error.hpp"
#include "telemetry/processor/in_memory_span_exporter.hpp"
#include "telemetry/processor/simple_span_processor.hpp"
#include "telemetry/tracer_provider.hpp"

namespace hotorder::http {
namespace {

class LineSink final : public log::Sink {
 public:
  void Write(std::string_view line) noexcept override {
    std::lock_guard lock(mutex_);
    lines.emplace_back(line);
  }
  std::mutex mutex_;
  std::vector<std::string> lines;
};

Handler Answer(std::string body) {
  return [body](RequestContext&) { return Response::Json(200, body); };
}

TEST(Router, MatchesLiteralAndTemplateSegments) {
  Router router;
  router.Add("GET", "/orders/{id}", Answer("one"));
  router.Add("GET", "/orders", Answer("list"));
  router.Add("GET", "/", Answer("root"));

  auto match = router.Match("GET", "/orders/abc-1");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(*match.route, "/orders/{id}");
  ASSERT_NE(match.handler, nullptr);
  EXPECT_EQ(match.params.at("id"), "abc-1");

  match = router.Match("GET", "/orders");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(*match.route, "/orders");
  EXPECT_TRUE(match.params.empty());

  match = router.Match("GET", "/");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(*match.route, "/");
}

TEST(Router, TemplateSegmentNeedsOneNonEmptySegment) {
  Router router;
  router.Add("GET", "/orders/{id}", Answer("one"));
  EXPECT_EQ(router.Match("GET", "/orders/").route, nullptr);
  EXPECT_EQ(router.Match("GET", "/orders").route, nullptr);
  EXPECT_EQ(router.Match("GET", "/orders/1/items").route, nullptr);
  EXPECT_EQ(router.Match("GET", "/other/1").route, nullptr);
}

TEST(Router, LiteralSegmentWinsOverTemplate) {
  Router router;
  router.Add("GET", "/orders/{id}", Answer("one"));
  router.Add("GET", "/orders/stats", Answer("stats"));
  auto match = router.Match("GET", "/orders/stats");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(*match.route, "/orders/stats");
}

TEST(Router, DecodesPathParameters) {
  Router router;
  router.Add("GET", "/skus/{sku}/stock/{warehouse}", Answer("x"));
  auto match = router.Match("GET", "/skus/a%20b/stock/w%2");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.params.at("sku"), "a b");
  EXPECT_EQ(match.params.at("warehouse"), "w%2");  // malformed escape kept as sent
}

TEST(Router, PathMatchWithOtherMethodListsAllowedMethods) {
  Router router;
  router.Add("POST", "/orders", Answer("created"));
  router.Add("GET", "/orders", Answer("list"));
  auto match = router.Match("DELETE", "/orders");
  ASSERT_NE(match.route, nullptr);
  EXPECT_EQ(match.handler, nullptr);
  EXPECT_EQ(match.allowed_methods, (std::vector<std::string>{"GET", "POST"}));
}

TEST(Router, RejectsDuplicateAndMalformedRoutes) {
  Router router;
  router.Add("GET", "/a", Answer("x"));
  EXPECT_THROW(router.Add("GET", "/a", Answer("y")), std::invalid_argument);
  EXPECT_THROW(router.Add("GET", "a", Answer("y")), std::invalid_argument);
  EXPECT_NO_THROW(router.Add("POST", "/a", Answer("y")));
}

class DispatchTest : public ::testing::Test {
 protected:
  DispatchTest() {
    auto exporter = std::make_unique<telemetry::InMemorySpanExporter>();
    store_ = exporter->store();
    telemetry::TracerProviderOptions options;
    options.processor = std::make_unique<telemetry::SimpleSpanProcessor>(std::move(exporter));
    provider_ = std::make_unique<telemetry::TracerProvider>(std::move(options));
    sink_ = std::make_shared<LineSink>();
  }

  // Dispatches `method path` and returns the response; the span ends before this returns.
  Response Run(const Router& router, std::string method, std::string path) {
    Request request;
    request.method = std::move(method);
    request.path = path;
    request.target = path;
    auto& tracer = provider_->GetTracer("test");
    telemetry::Span span =
        tracer.StartSpan("server", {}, {.kind = telemetry::SpanKind::kServer});
    RequestContext context{request, telemetry::Context{span.context(), {}}, span, tracer,
                           log::Logger("test", log::Level::kDebug, sink_).For(span.context())};
    const auto match = router.Match(request.method, request.path);
    Response response = router.Dispatch(match, context);
    span.End();
    return response;
  }

  telemetry::SpanData OnlySpan() {
    auto spans = store_->GetSpans();
    EXPECT_EQ(spans.size(), 1u);
    return spans.empty() ? telemetry::SpanData{} : spans.front();
  }

  std::shared_ptr<telemetry::InMemorySpanStore> store_;
  std::unique_ptr<telemetry::TracerProvider> provider_;
  std::shared_ptr<LineSink> sink_;
};

std::string ErrorCode(const Response& response) {
  return nlohmann::json::parse(response.body)["error"]["code"];
}
std::string ErrorMessage(const Response& response) {
  return nlohmann::json::parse(response.body)["error"]["message"];
}
const telemetry::SpanEvent* ExceptionEvent(const telemetry::SpanData& span) {
  for (const auto& event : span.events) {
    if (event.name == "exception") return &event;
  }
  return nullptr;
}

TEST_F(DispatchTest, RunsTheHandlerWithPathParams) {
  Router router;
  router.Add("GET", "/orders/{id}", [](RequestContext& context) {
    return Response::Json(200, "order " + context.request.PathParam("id"));
  });
  Request request;
  request.method = "GET";
  request.path = "/orders/7";
  auto match = router.Match("GET", "/orders/7");
  request.path_params = match.params;
  auto& tracer = provider_->GetTracer("test");
  telemetry::Span span;
  RequestContext context{request, {}, span, tracer, log::Logger("t", log::Level::kDebug, sink_)};
  const Response response = router.Dispatch(match, context);
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.body, "order 7");
  EXPECT_TRUE(sink_->lines.empty());
}

TEST_F(DispatchTest, UnknownPathIs404NotFound) {
  Router router;
  router.Add("GET", "/orders", Answer("list"));
  const Response response = Run(router, "GET", "/nothing");
  EXPECT_EQ(response.status, 404u);
  EXPECT_EQ(ErrorCode(response), "not_found");
  const auto span = OnlySpan();
  EXPECT_EQ(span.status.code, telemetry::StatusCode::kError);
  EXPECT_FALSE(span.status.description.empty());
  EXPECT_NE(ExceptionEvent(span), nullptr);
  ASSERT_EQ(sink_->lines.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(sink_->lines[0])["level"], "warn");
}

TEST_F(DispatchTest, WrongMethodIs405WithAllowHeader) {
  Router router;
  router.Add("GET", "/orders", Answer("list"));
  router.Add("POST", "/orders", Answer("created"));
  const Response response = Run(router, "PUT", "/orders");
  EXPECT_EQ(response.status, 405u);
  EXPECT_EQ(ErrorCode(response), "method_not_allowed");
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Allow");
  EXPECT_EQ(response.headers[0].second, "GET, POST");
  EXPECT_EQ(OnlySpan().status.code, telemetry::StatusCode::kError);
  EXPECT_EQ(sink_->lines.size(), 1u);
}

TEST_F(DispatchTest, HttpErrorKeepsStatusCodeAndMessage) {
  Router router;
  router.Add("POST", "/orders", [](RequestContext&) -> Response {
    throw HttpError(409, "out_of_stock", "sku ABC has 0 left");
  });
  const Response response = Run(router, "POST", "/orders");
  EXPECT_EQ(response.status, 409u);
  EXPECT_EQ(ErrorCode(response), "out_of_stock");
  EXPECT_EQ(ErrorMessage(response), "sku ABC has 0 left");

  const auto span = OnlySpan();
  EXPECT_EQ(span.status.code, telemetry::StatusCode::kError);
  EXPECT_EQ(span.status.description, "sku ABC has 0 left");
  const auto* event = ExceptionEvent(span);
  ASSERT_NE(event, nullptr);
  const auto* type = telemetry::FindAttribute(event->attributes, "exception.type");
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(std::get<std::string>(type->variant()), "hotorder::http::HttpError");
  ASSERT_EQ(sink_->lines.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(sink_->lines[0])["level"], "warn");
}

TEST_F(DispatchTest, OtherExceptionIs500InternalWithoutItsMessage) {
  Router router;
  router.Add("GET", "/boom", [](RequestContext&) -> Response {
    throw std::runtime_error("SELECT secret FROM internals failed");
  });
  const Response response = Run(router, "GET", "/boom");
  EXPECT_EQ(response.status, 500u);
  EXPECT_EQ(ErrorCode(response), "internal");
  EXPECT_EQ(response.body.find("SELECT"), std::string::npos);

  const auto span = OnlySpan();
  EXPECT_EQ(span.status.code, telemetry::StatusCode::kError);
  const auto* event = ExceptionEvent(span);
  ASSERT_NE(event, nullptr);
  const auto* message = telemetry::FindAttribute(event->attributes, "exception.message");
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(std::get<std::string>(message->variant()), "SELECT secret FROM internals failed");
  const auto* type = telemetry::FindAttribute(event->attributes, "exception.type");
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(std::get<std::string>(type->variant()), "std::runtime_error");
  ASSERT_EQ(sink_->lines.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(sink_->lines[0])["level"], "error");
}

TEST_F(DispatchTest, NonStandardThrowIs500) {
  Router router;
  router.Add("GET", "/boom", [](RequestContext&) -> Response { throw 42; });
  const Response response = Run(router, "GET", "/boom");
  EXPECT_EQ(response.status, 500u);
  EXPECT_EQ(ErrorCode(response), "internal");
  EXPECT_EQ(OnlySpan().status.code, telemetry::StatusCode::kError);
}

TEST_F(DispatchTest, ReturnedErrorStatusMarksSpanAndLogsOnce) {
  Router router;
  router.Add("GET", "/teapot", [](RequestContext&) {
    return Response::Json(503, ErrorBody("busy", "later"));
  });
  const Response response = Run(router, "GET", "/teapot");
  EXPECT_EQ(response.status, 503u);
  EXPECT_EQ(OnlySpan().status.code, telemetry::StatusCode::kError);
  ASSERT_EQ(sink_->lines.size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(sink_->lines[0])["level"], "error");
}

}  // namespace
}  // namespace hotorder::http
