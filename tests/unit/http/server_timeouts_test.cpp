// Clients that are slow, idle or leave halfway: each is handled without holding a thread, and
// the server keeps serving everyone else.

#include <nlohmann/json.hpp>

#include "server_fixture.hpp"
#include "support/http_get.hpp"

namespace hotorder::http::test {
namespace {

using hotorder::test::HttpGet;

Router PingRouter() {
  Router router;
  router.Add("GET", "/ping", [](RequestContext&) { return Response::Json(200, "\"pong\""); });
  router.Add("POST", "/echo/{id}", [](RequestContext& context) {
    return Response::Json(200, std::to_string(context.request.body.size()));
  });
  return router;
}

class ServerTimeoutsTest : public ServerFixture {};

TEST_F(ServerTimeoutsTest, SlowHeaderGets408WhileOthersAreServed) {
  StartServer(PingRouter(), {.read_timeout = 400ms});
  RawClient slow(port());
  ASSERT_TRUE(slow.Send("GET /ping HTTP/1.1\r\nHost: x\r\n"));  // never finishes the header

  // The slow client holds only its own connection's thread: the others are served meanwhile.
  for (int i = 0; i < 3; ++i) {
    const auto response = HttpGet(Url("/ping"), {}, 1s);
    ASSERT_TRUE(response.ok()) << response.error;
    EXPECT_EQ(response.status, 200);
  }

  const auto response = slow.Read();
  ASSERT_TRUE(response.has_value()) << slow.last_error().message();
  EXPECT_EQ(response->result_int(), 408u);
  EXPECT_EQ(nlohmann::json::parse(response->body())["error"]["code"], "request_timeout");
  EXPECT_TRUE(slow.ClosedByServer());
  const auto spans = SpansNamed("HTTP");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(IntAttr(spans[0], "http.response.status_code"), 408);
  EXPECT_EQ(spans[0].status.code, telemetry::StatusCode::kError);
}

TEST_F(ServerTimeoutsTest, SlowBodyGets408OnTheRoutesSpan) {
  StartServer(PingRouter(), {.read_timeout = 300ms});
  RawClient slow(port());
  ASSERT_TRUE(slow.Send("POST /echo/9 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly-part"));
  const auto response = slow.Read();
  ASSERT_TRUE(response.has_value()) << slow.last_error().message();
  EXPECT_EQ(response->result_int(), 408u);
  const auto spans = SpansNamed("POST /echo/{id}");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(IntAttr(spans[0], "http.response.status_code"), 408);
  EXPECT_EQ(std::string((*response)["traceresponse"]).substr(3, 32),
            spans[0].context.trace_id().ToHex());
}

TEST_F(ServerTimeoutsTest, IdleKeptAliveConnectionIsClosedSilently) {
  StartServer(PingRouter(), {.idle_timeout = 200ms});
  RawClient client(port());
  ASSERT_TRUE(client.Send(Get("/ping")));
  ASSERT_TRUE(client.Read().has_value());
  // No 408, no bytes at all: just the close.
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_EQ(SpansNamed("GET /ping").size(), 1u);
  EXPECT_EQ(spans_->SpanCount(), 1u);
}

TEST_F(ServerTimeoutsTest, ClientLeavingMidBodyEndsSpanAsAborted) {
  StartServer(PingRouter());
  {
    RawClient client(port());
    ASSERT_TRUE(client.Send(
        "POST /echo/3 HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nfirst-bytes"));
    // The header and part of the body arrive before the FIN, so the server has a span to end.
    client.Close();
  }
  const auto spans = SpansNamed("POST /echo/{id}");
  ASSERT_EQ(spans.size(), 1u);
  EXPECT_EQ(spans[0].status.code, telemetry::StatusCode::kError);
  EXPECT_EQ(StringAttr(spans[0], "error.type"), "request_aborted");
  EXPECT_EQ(Attr(spans[0], "http.response.status_code"), nullptr);
  // The server is fine.
  const auto response = HttpGet(Url("/ping"));
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.status, 200);
}

TEST_F(ServerTimeoutsTest, ClientLeavingMidHeaderLeavesNoTrace) {
  StartServer(PingRouter());
  {
    RawClient client(port());
    ASSERT_TRUE(client.Send("GET /ping HTTP/1.1\r\nHo"));
    client.Close();
  }
  const auto response = HttpGet(Url("/ping"));
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.status, 200);
  ASSERT_EQ(SpansNamed("GET /ping").size(), 1u);
  EXPECT_EQ(spans_->SpanCount(), 1u);
}

TEST_F(ServerTimeoutsTest, ExpectContinueGetsInterimResponse) {
  StartServer(PingRouter());
  RawClient client(port());
  ASSERT_TRUE(client.Send(
      "POST /echo/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  const auto interim = client.Read();
  ASSERT_TRUE(interim.has_value()) << client.last_error().message();
  EXPECT_EQ(interim->result_int(), 100u);
  ASSERT_TRUE(client.Send("hello"));
  const auto response = client.Read();
  ASSERT_TRUE(response.has_value()) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_EQ(response->body(), "5");
}

}  // namespace
}  // namespace hotorder::http::test
