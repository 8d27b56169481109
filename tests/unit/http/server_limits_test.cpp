// What the server refuses before a handler runs: oversized headers and bodies, malformed
// requests, more requests than may wait for a handler, more connections than allowed. Each
// refusal is JSON, traced, and carries traceresponse.

#include <nlohmann/json.hpp>

#include "server_fixture.hpp"
#include "support/http_get.hpp"

namespace hotorder::http::test {
namespace {

using hotorder::test::HttpGet;

std::string ErrorCodeOf(const std::string& body) {
  return nlohmann::json::parse(body)["error"]["code"];
}

Router EchoRouter() {
  Router router;
  router.Add("POST", "/echo/{id}", [](RequestContext& context) {
    return Response::Json(200, std::to_string(context.request.body.size()));
  });
  router.Add("GET", "/ping", [](RequestContext&) { return Response::Json(200, "\"pong\""); });
  return router;
}

// Checks the refusal's traceresponse against the one span named `span_name`.
void ExpectTracedRefusal(const CapturingSink& sink,
                         const boost::beast::http::response<boost::beast::http::string_body>& r,
                         const std::vector<telemetry::SpanData>& spans, unsigned status) {
  ASSERT_EQ(spans.size(), 1u);
  const auto& span = spans[0];
  EXPECT_EQ(span.kind, telemetry::SpanKind::kServer);
  EXPECT_EQ(span.status.code, telemetry::StatusCode::kError);
  EXPECT_EQ(IntAttr(span, "http.response.status_code"), status);
  EXPECT_EQ(std::string(r["traceresponse"]), telemetry::FormatTraceparent(span.context));
  EXPECT_EQ(std::string(r["X-Trace-Id"]), span.context.trace_id().ToHex());
  EXPECT_EQ(sink.LinesContaining("request failed").size(), 1u);
}

class ServerLimitsTest : public ServerFixture {};

TEST_F(ServerLimitsTest, HeaderOver8KiBIs431) {
  StartServer(EchoRouter());
  RawClient client(port());
  ASSERT_TRUE(client.Send("GET /ping HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9 * 1024, 'a') +
                          "\r\n\r\n"));
  const auto response = client.Read();
  ASSERT_TRUE(response.has_value()) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 431u);
  EXPECT_EQ(ErrorCodeOf(response->body()), "header_too_large");
  EXPECT_FALSE(response->keep_alive());
  EXPECT_TRUE(client.ClosedByServer());
  // The header never completed: a new root span named "HTTP".
  const auto spans = SpansNamed("HTTP");
  ExpectTracedRefusal(*sink_, *response, spans, 431);
  EXPECT_FALSE(spans[0].parent_span_id.IsValid());
}

TEST_F(ServerLimitsTest, ContentLengthOver1MiBIs413BeforeTheBodyIsRead) {
  StartServer(EchoRouter());
  RawClient client(port());
  ASSERT_TRUE(client.Send(
      "POST /echo/1 HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
      "Content-Length: 1048577\r\n\r\n"));
  const auto response = client.Read();
  ASSERT_TRUE(response.has_value()) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 413u);
  EXPECT_EQ(ErrorCodeOf(response->body()), "payload_too_large");
  ExpectTracedRefusal(*sink_, *response, SpansNamed("POST /echo/{id}"), 413);
}

TEST_F(ServerLimitsTest, BodyOfExactly1MiBIsAccepted) {
  StartServer(EchoRouter());
  RawClient client(port());
  ASSERT_TRUE(client.Send("POST /echo/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 1048576\r\n\r\n" +
                          std::string(1024 * 1024, 'x')));
  const auto response = client.Read();
  ASSERT_TRUE(response.has_value()) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_EQ(response->body(), "1048576");
}

TEST_F(ServerLimitsTest, ChunkedBodyOver1MiBIs413) {
  StartServer(EchoRouter());
  RawClient client(port());
  std::string request = "POST /echo/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(64 * 1024, 'y');
  for (int i = 0; i < 17; ++i) request += "10000\r\n" + chunk + "\r\n";  // 17 × 64 KiB
  request += "0\r\n\r\n";
  ASSERT_TRUE(client.Send(request));
  const auto response = client.Read();
  ASSERT_TRUE(response.has_value()) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 413u);
  EXPECT_EQ(ErrorCodeOf(response->body()), "payload_too_large");
  ExpectTracedRefusal(*sink_, *response, SpansNamed("POST /echo/{id}"), 413);
}

TEST_F(ServerLimitsTest, ChunkedBodyUnderTheLimitIsAccepted) {
  StartServer(EchoRouter());
  RawClient client(port());
  ASSERT_TRUE(client.Send(
      "POST /echo/1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"));
  const auto response = client.Read();
  ASSERT_TRUE(response.has_value()) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_EQ(response->body(), "11");
}

TEST_F(ServerLimitsTest, MalformedRequestLineIs400AndClose) {
  StartServer(EchoRouter());
  RawClient client(port());
  ASSERT_TRUE(client.Send("THIS IS NOT HTTP\r\n\r\n"));
  const auto response = client.Read();
  ASSERT_TRUE(response.has_value()) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 400u);
  EXPECT_EQ(ErrorCodeOf(response->body()), "bad_request");
  EXPECT_TRUE(client.ClosedByServer());
  ExpectTracedRefusal(*sink_, *response, SpansNamed("HTTP"), 400);
  // And the server still serves.
  EXPECT_EQ(HttpGet(Url("/ping")).status, 200);
}

TEST_F(ServerLimitsTest, RequestBeyondTheWaitingLimitIs503AtOnce) {
  Gate gate;
  Counter entered;
  Router router;
  router.Add("GET", "/block", [&](RequestContext&) {
    entered.Increment();
    gate.Wait();
    return Response::Json(200, "\"done\"");
  });
  StartServer(std::move(router), {.max_handlers = 1, .max_waiting_requests = 1});

  // A occupies the only handler slot.
  std::thread a([&] { EXPECT_EQ(HttpGet(Url("/block"), {}, 10s).status, 200); });
  ASSERT_TRUE(entered.WaitFor(1));

  // B and C arrive together: one of them waits for the slot, the other is refused at once.
  std::mutex mutex;
  std::condition_variable answered;
  std::vector<int> statuses;
  auto send = [&] {
    const int status = HttpGet(Url("/block"), {}, 10s).status;
    {
      std::lock_guard lock(mutex);
      statuses.push_back(status);
    }
    answered.notify_all();
  };
  std::thread b(send);
  std::thread c(send);
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(answered.wait_for(lock, 5s, [&] { return !statuses.empty(); }));
    EXPECT_EQ(statuses[0], 503);
    EXPECT_FALSE(gate.IsOpen());
  }
  gate.Open();
  a.join();
  b.join();
  c.join();
  ASSERT_EQ(statuses.size(), 2u);
  EXPECT_EQ(statuses[1], 200);

  const auto spans = SpansNamed("GET /block", 3);
  ASSERT_EQ(spans.size(), 3u);
  int refused = 0;
  for (const auto& span : spans) {
    if (IntAttr(span, "http.response.status_code") == 503) {
      ++refused;
      EXPECT_EQ(span.status.code, telemetry::StatusCode::kError);
      EXPECT_EQ(StringAttr(span, "error.type"), "503");
    }
  }
  EXPECT_EQ(refused, 1);
  EXPECT_EQ(sink_->LinesContaining("overloaded").size(), 1u);
}

TEST_F(ServerLimitsTest, ConnectionsBeyondTheLimitAreClosedAtOnce) {
  StartServer(EchoRouter(), {.max_connections = 2});
  RawClient first(port());
  RawClient second(port());
  // Each answers, so the server holds both.
  for (auto* client : {&first, &second}) {
    ASSERT_TRUE(client->Send(Get("/ping")));
    const auto response = client->Read();
    ASSERT_TRUE(response.has_value());
    EXPECT_EQ(response->result_int(), 200u);
  }
  RawClient third(port());
  ASSERT_TRUE(third.connected());  // the kernel accepts; the server closes it
  EXPECT_TRUE(third.ClosedByServer());

  // Still serving the two it holds; and once one leaves, a new client gets in.
  ASSERT_TRUE(first.Send(Get("/ping")));
  ASSERT_TRUE(first.Read().has_value());
  second.Close();
  EXPECT_TRUE(Eventually([&] { return HttpGet(Url("/ping"), {}, 1s).status == 200; }));
}

}  // namespace
}  // namespace hotorder::http::test
