#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http/client.hpp"
#include "support/free_port.hpp"
#include "support/test_http_server.hpp"
#include "telemetry/processor/in_memory_span_exporter.hpp"
#include "telemetry/processor/simple_span_processor.hpp"
#include "telemetry/propagation/composite.hpp"
#include "telemetry/propagation/w3c_baggage.hpp"
#include "telemetry/propagation/w3c_trace_context.hpp"
#include "telemetry/tracer_provider.hpp"

namespace hotorder::http {
namespace {

using std::chrono::milliseconds;
using telemetry::AttributeValue;
using telemetry::SpanData;
using telemetry::SpanKind;
using telemetry::StatusCode;
using test::RecordedRequest;
using test::ScriptedResponse;
using test::TestHttpServer;
using ::testing::HasSubstr;

const AttributeValue* Attribute(const SpanData& span, std::string_view key) {
  return telemetry::FindAttribute(span.attributes, key);
}

std::string StringAttribute(const SpanData& span, std::string_view key) {
  const AttributeValue* value = Attribute(span, key);
  if (value == nullptr) return "<missing>";
  const auto* s = std::get_if<std::string>(&value->variant());
  return s != nullptr ? *s : "<not a string>";
}

std::int64_t IntAttribute(const SpanData& span, std::string_view key) {
  const AttributeValue* value = Attribute(span, key);
  if (value == nullptr) return -1;
  const auto* i = std::get_if<std::int64_t>(&value->variant());
  return i != nullptr ? *i : -2;
}

ScriptedResponse Json(unsigned status, std::string body) {
  ScriptedResponse response;
  response.status = status;
  response.headers = {{"Content-Type", "application/json"}};
  response.body = std::move(body);
  return response;
}

// A tracer whose spans land in memory at End, the W3C propagators, and a parent span with
// baggage: what a service handler has when it calls an upstream.
class HttpClientTest : public ::testing::Test {
 protected:
  HttpClientTest() {
    auto exporter = std::make_unique<telemetry::InMemorySpanExporter>();
    store_ = exporter->store();
    telemetry::TracerProviderOptions options;
    options.processor = std::make_unique<telemetry::SimpleSpanProcessor>(std::move(exporter));
    provider_ = std::make_unique<telemetry::TracerProvider>(std::move(options));
    std::vector<std::unique_ptr<telemetry::TextMapPropagator>> parts;
    parts.push_back(std::make_unique<telemetry::TraceContextPropagator>());
    parts.push_back(std::make_unique<telemetry::BaggagePropagator>());
    propagator_ = std::make_unique<telemetry::CompositePropagator>(std::move(parts));
  }

  const telemetry::Tracer& tracer() { return provider_->GetTracer("hotorder.http.test"); }

  std::unique_ptr<HttpClient> Client(const std::string& base_url, milliseconds total_timeout =
                                                                      milliseconds(5000)) {
    UpstreamOptions options{.name = "inventory-service",
                            .base_url = base_url,
                            .connect_timeout = milliseconds(1000),
                            .total_timeout = total_timeout};
    return std::make_unique<HttpClient>(options, tracer(), *propagator_);
  }

  // Spans the client ended (the parent stays open in the tests).
  std::vector<SpanData> ClientSpans() const {
    std::vector<SpanData> spans;
    for (auto& span : store_->GetSpans()) {
      if (span.kind == SpanKind::kClient) spans.push_back(std::move(span));
    }
    return spans;
  }

  ClientRequest Reserve() const {
    return {.method = "POST",
            .route = "/reserve",
            .target = "/reserve?order=42",
            .body = R"({"items":[{"sku":"SKU-1","quantity":2}]})"};
  }

  std::shared_ptr<telemetry::InMemorySpanStore> store_;
  std::unique_ptr<telemetry::TracerProvider> provider_;
  std::unique_ptr<telemetry::TextMapPropagator> propagator_;
};

TEST_F(HttpClientTest, SendsTheRequestAndReturnsTheAnswer) {
  TestHttpServer server;
  server.Enqueue(Json(201, R"({"reserved":true})"));
  auto client = Client(server.BaseUrl());

  ClientResponse response = client->Send({}, Reserve());

  EXPECT_EQ(response.status, 201u);
  EXPECT_EQ(response.body, R"({"reserved":true})");
  EXPECT_EQ(response.content_type, "application/json");
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/reserve?order=42");
  EXPECT_EQ(requests[0].body, Reserve().body);
  EXPECT_EQ(requests[0].Header("Content-Type"), "application/json");
  EXPECT_EQ(requests[0].Header("Host"), "127.0.0.1:" + std::to_string(server.port()));
}

TEST_F(HttpClientTest, SendsExtraHeadersAndNoContentTypeWithoutBody) {
  TestHttpServer server;
  auto client = Client(server.BaseUrl());
  client->Send({}, {.method = "GET",
                    .route = "/orders/{id}",
                    .target = "/orders/7",
                    .headers = {{"X-Admin-Token", "secret"}}});
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].Header("X-Admin-Token"), "secret");
  EXPECT_EQ(requests[0].Header("Content-Type"), std::nullopt);
  EXPECT_EQ(requests[0].body, "");
}

TEST_F(HttpClientTest, RecordsAClientSpanChildOfTheParent) {
  TestHttpServer server;
  server.Enqueue(Json(200, "{}"));
  auto client = Client(server.BaseUrl());
  auto parent_span = tracer().StartSpan("POST /orders", {}, {.kind = SpanKind::kServer});
  telemetry::Context parent{parent_span.context(), {}};

  client->Send(parent, Reserve());

  auto spans = ClientSpans();
  ASSERT_EQ(spans.size(), 1u);
  const SpanData& span = spans[0];
  EXPECT_EQ(span.name, "POST /reserve");
  EXPECT_EQ(span.kind, SpanKind::kClient);
  EXPECT_EQ(span.context.trace_id(), parent_span.context().trace_id());
  EXPECT_EQ(span.parent_span_id, parent_span.context().span_id());
  EXPECT_EQ(StringAttribute(span, "http.request.method"), "POST");
  EXPECT_EQ(StringAttribute(span, "server.address"), "127.0.0.1");
  EXPECT_EQ(IntAttribute(span, "server.port"), server.port());
  EXPECT_EQ(StringAttribute(span, "url.full"), server.Url("/reserve?order=42"));
  EXPECT_EQ(IntAttribute(span, "http.response.status_code"), 200);
  EXPECT_EQ(StringAttribute(span, "network.protocol.version"), "1.1");
  EXPECT_EQ(Attribute(span, "error.type"), nullptr);
  EXPECT_EQ(span.status.code, StatusCode::kUnset);
  EXPECT_LE(span.start_time, span.end_time);
}

TEST_F(HttpClientTest, InjectsTheClientSpanAndTheParentsBaggage) {
  TestHttpServer server;
  auto client = Client(server.BaseUrl());
  auto parent_span = tracer().StartSpan("POST /orders", {}, {.kind = SpanKind::kServer});
  telemetry::Context parent{parent_span.context(),
                            telemetry::Baggage().Set("customer.tier", "gold")};

  // A traceparent the caller passes along by mistake must not win over the client span's.
  ClientRequest request = Reserve();
  request.headers = {{"traceparent", "00-11111111111111111111111111111111-2222222222222222-01"}};
  client->Send(parent, request);

  auto spans = ClientSpans();
  ASSERT_EQ(spans.size(), 1u);
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 1u);
  auto traceparent = requests[0].Header("traceparent");
  ASSERT_TRUE(traceparent.has_value());
  auto sent = telemetry::ParseTraceparent(*traceparent);
  ASSERT_TRUE(sent.has_value()) << *traceparent;
  EXPECT_EQ(sent->trace_id(), parent_span.context().trace_id());
  EXPECT_EQ(sent->span_id(), spans[0].context.span_id());  // the CLIENT span, not the parent
  EXPECT_TRUE(sent->IsSampled());
  int traceparents = 0;
  for (const auto& [name, value] : requests[0].headers) traceparents += name == "traceparent";
  EXPECT_EQ(traceparents, 1);

  auto baggage = requests[0].Header("baggage");
  ASSERT_TRUE(baggage.has_value());
  EXPECT_EQ(telemetry::ParseBaggageHeader(*baggage).Get("customer.tier"), "gold");
}

TEST_F(HttpClientTest, AnErrorAnswerIsReturnedAndMarksTheSpan) {
  TestHttpServer server;
  server.Enqueue(Json(409, R"({"error":{"code":"insufficient_stock","message":"SKU-1: 0 left"}})"));
  auto client = Client(server.BaseUrl());

  ClientResponse response = client->Send({}, Reserve());

  EXPECT_EQ(response.status, 409u);
  auto spans = ClientSpans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(IntAttribute(spans[0], "http.response.status_code"), 409);
  EXPECT_EQ(StringAttribute(spans[0], "error.type"), "409");
  EXPECT_EQ(spans[0].status.code, StatusCode::kError);
  EXPECT_THAT(spans[0].status.description, HasSubstr("insufficient_stock"));
}

TEST_F(HttpClientTest, ReusesAKeptAliveConnection) {
  TestHttpServer server;
  auto client = Client(server.BaseUrl());
  for (int i = 0; i < 3; ++i) EXPECT_EQ(client->Send({}, Reserve()).status, 200u);
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& request : requests) EXPECT_EQ(request.connection, 1u);
  EXPECT_EQ(server.AcceptedConnections(), 1u);
}

TEST_F(HttpClientTest, OpensANewConnectionAfterConnectionClose) {
  TestHttpServer server;
  ScriptedResponse closing = Json(200, "{}");
  closing.close_after_response = true;
  server.Enqueue(closing);
  auto client = Client(server.BaseUrl());

  EXPECT_EQ(client->Send({}, Reserve()).status, 200u);
  EXPECT_EQ(client->Send({}, Reserve()).status, 200u);

  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].connection, 1u);
  EXPECT_EQ(requests[1].connection, 2u);
}

TEST_F(HttpClientTest, ResendsOnceWhenAPooledConnectionWasClosedWhileIdle) {
  TestHttpServer server;
  auto client = Client(server.BaseUrl());
  ASSERT_EQ(client->Send({}, Reserve()).status, 200u);

  // The server hangs up on the pooled connection without a byte of answer, as one that timed
  // the idle connection out would: the request goes again on a fresh connection.
  ScriptedResponse hang_up;
  hang_up.close_without_response = true;
  server.Enqueue(hang_up);
  EXPECT_EQ(client->Send({}, Reserve()).status, 200u);

  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[1].connection, 1u);
  EXPECT_EQ(requests[2].connection, 2u);
  auto spans = ClientSpans();
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[1].status.code, StatusCode::kUnset);
  EXPECT_EQ(IntAttribute(spans[1], "http.request.resend_count"), 1);
}

TEST_F(HttpClientTest, AFreshConnectionClosedWithoutAnswerIs502) {
  TestHttpServer server;
  ScriptedResponse hang_up;
  hang_up.close_without_response = true;
  server.Enqueue(hang_up);
  auto client = Client(server.BaseUrl());

  try {
    client->Send({}, Reserve());
    FAIL() << "no HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 502u);
    EXPECT_EQ(e.code(), "upstream_unavailable");
    EXPECT_THAT(e.what(), HasSubstr("inventory-service is unavailable"));
  }
  EXPECT_EQ(server.RequestCount(), 1u);  // not resent: a fresh connection is no stale one
  auto spans = ClientSpans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status.code, StatusCode::kError);
  EXPECT_EQ(StringAttribute(spans[0], "error.type"), "connection_closed");
}

TEST_F(HttpClientTest, ARefusedConnectionIs502AndAnErrorSpan) {
  auto client = Client("http://127.0.0.1:" + std::to_string(test::FreeLoopbackPort()));
  auto parent_span = tracer().StartSpan("POST /orders", {}, {.kind = SpanKind::kServer});

  try {
    client->Send({parent_span.context(), {}}, Reserve());
    FAIL() << "no HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 502u);
    EXPECT_EQ(e.code(), "upstream_unavailable");
    EXPECT_STREQ(e.what(), "inventory-service is unavailable: connection refused");
  }

  auto spans = ClientSpans();
  ASSERT_EQ(spans.size(), 1u);
  const SpanData& span = spans[0];
  EXPECT_EQ(span.name, "POST /reserve");
  EXPECT_EQ(span.parent_span_id, parent_span.context().span_id());
  EXPECT_EQ(span.status.code, StatusCode::kError);
  EXPECT_EQ(span.status.description, "inventory-service is unavailable: connection refused");
  EXPECT_EQ(StringAttribute(span, "error.type"), "connection_refused");
  EXPECT_EQ(Attribute(span, "http.response.status_code"), nullptr);
  ASSERT_EQ(span.events.size(), 1u);
  EXPECT_EQ(span.events[0].name, "exception");
  EXPECT_THAT(StringAttribute({.attributes = span.events[0].attributes}, "exception.type"),
              HasSubstr("HttpError"));
}

TEST_F(HttpClientTest, ASlowAnswerIs504WithinTheTotalTimeout) {
  TestHttpServer server;
  ScriptedResponse slow = Json(200, "{}");
  slow.delay = milliseconds(10'000);
  server.Enqueue(slow);
  auto client = Client(server.BaseUrl(), milliseconds(300));

  auto start = std::chrono::steady_clock::now();
  try {
    client->Send({}, Reserve());
    FAIL() << "no HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 504u);
    EXPECT_EQ(e.code(), "upstream_timeout");
    EXPECT_STREQ(e.what(), "inventory-service did not answer within 300 ms");
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_GE(elapsed, milliseconds(250));
  EXPECT_LT(elapsed, milliseconds(2000));

  auto spans = ClientSpans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status.code, StatusCode::kError);
  EXPECT_EQ(StringAttribute(spans[0], "error.type"), "timeout");

  // The timed-out connection is not pooled: the next call gets its own answer.
  server.Enqueue(Json(200, R"({"next":true})"));
  EXPECT_EQ(client->Send({}, Reserve()).body, R"({"next":true})");
}

TEST_F(HttpClientTest, AMalformedAnswerIs502) {
  // TestHttpServer only speaks correct HTTP: this one-shot server answers garbage.
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor acceptor(
      ioc, {boost::asio::ip::make_address("127.0.0.1"), 0});
  std::thread garbage_server([&acceptor] {
    boost::system::error_code ec;
    boost::asio::ip::tcp::socket socket = acceptor.accept(ec);
    if (ec) return;
    char buffer[4096];
    socket.read_some(boost::asio::buffer(buffer), ec);
    boost::asio::write(socket, boost::asio::buffer(std::string_view("SPDY/9 hello\r\n\r\n")), ec);
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
  });
  auto client = Client("http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()));

  try {
    client->Send({}, Reserve());
    ADD_FAILURE() << "no HttpError";
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 502u);
    EXPECT_EQ(e.code(), "upstream_unavailable");
    EXPECT_THAT(e.what(), HasSubstr("inventory-service is unavailable: malformed answer"));
  }
  garbage_server.join();
  auto spans = ClientSpans();
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(StringAttribute(spans[0], "error.type"), "malformed_response");
}

TEST_F(HttpClientTest, ConcurrentSendsFromSeveralThreads) {
  TestHttpServer server;
  server.SetHandler([](const RecordedRequest& request) { return Json(200, request.target); });
  auto client = Client(server.BaseUrl());
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string target = "/reserve/" + std::to_string(t) + "/" + std::to_string(i);
        ClientResponse response = client->Send({}, {.method = "POST",
                                                    .route = "/reserve/{t}/{i}",
                                                    .target = target,
                                                    .body = "{}"});
        if (response.status != 200 || response.body != target) ++mismatches[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
  EXPECT_EQ(server.RequestCount(), static_cast<std::size_t>(kThreads * kPerThread));
  // Each thread holds at most one connection at a time, and returned ones are reused.
  EXPECT_LE(server.AcceptedConnections(), static_cast<std::size_t>(kThreads));
  EXPECT_EQ(ClientSpans().size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST_F(HttpClientTest, ResolvesAHostName) {
  TestHttpServer server;
  auto client = Client("http://localhost:" + std::to_string(server.port()));
  // localhost may resolve to ::1 first, where nothing listens: the next address is tried.
  EXPECT_EQ(client->Send({}, Reserve()).status, 200u);
  EXPECT_EQ(server.RequestCount(), 1u);
}

TEST_F(HttpClientTest, ReachableAsksHealthzWithoutTracing) {
  TestHttpServer server;
  auto client = Client(server.BaseUrl());
  EXPECT_TRUE(client->Reachable());
  server.Enqueue(Json(503, R"({"error":{"code":"not_ready","message":"starting"}})"));
  EXPECT_FALSE(client->Reachable());
  auto requests = server.Requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/healthz");
  EXPECT_EQ(requests[0].Header("traceparent"), std::nullopt);
  EXPECT_TRUE(ClientSpans().empty());
}

TEST_F(HttpClientTest, ReachableIsFalseWhenNothingListens) {
  auto client = Client("http://127.0.0.1:" + std::to_string(test::FreeLoopbackPort()));
  EXPECT_FALSE(client->Reachable());
}

TEST_F(HttpClientTest, ABadBaseUrlIsRejectedAtConstruction) {
  EXPECT_THROW(Client("https://127.0.0.1:8082"), std::invalid_argument);
  EXPECT_THROW(Client("http://127.0.0.1:8082/api"), std::invalid_argument);
  EXPECT_THROW(Client("http://127.0.0.1:99999"), std::invalid_argument);
}

}  // namespace
}  // namespace hotorder::http
