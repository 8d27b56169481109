// Bad input of every kind, sent to the real stack: each gets the right status,
// a JSON error body, an ERROR SERVER span, and changes nothing in the database.
#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <algorithm>
#include <thread>

#include "integration_env.hpp"

namespace hotorder::test {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace asio = boost::asio;

constexpr int kStatusError = 2;

struct BadInput {
  std::string name;
  std::string method = "POST";
  std::string target = "/api/orders";
  std::string body;
  std::string content_type = "application/json";
  HttpHeaders headers;
  int status;
  std::string code;  // "" when any JSON error code will do
};

std::string Items(const json& items) {
  return json{{"customer_id", "c-bad"}, {"items", items}}.dump();
}

std::string OneLine(const json& sku, const json& qty) {
  return Items(json::array({{{"sku", sku}, {"qty", qty}}}));
}

std::vector<BadInput> Cases() {
  json hundred_and_one = json::array();
  for (int i = 0; i < 101; ++i) hundred_and_one.push_back({{"sku", "SKU-100"}, {"qty", 1}});
  return {
      {.name = "malformed JSON", .body = R"({"customer_id": "c", "items": [)", .status = 400,
       .code = "invalid_json"},
      {.name = "JSON array", .body = R"([{"sku":"SKU-100","qty":1}])", .status = 400,
       .code = "not_an_object"},
      {.name = "JSON string", .body = R"("an order")", .status = 400, .code = "not_an_object"},
      {.name = "missing items", .body = R"({"customer_id":"c"})", .status = 400,
       .code = "missing_items"},
      {.name = "items not an array", .body = R"({"customer_id":"c","items":{"sku":"x"}})",
       .status = 400, .code = "invalid_items"},
      {.name = "tier and customer_tier differ",
       .body = R"({"tier":"gold","customer_tier":"standard","items":[{"sku":"SKU-100","qty":1}]})",
       .status = 400, .code = "conflicting_tier"},
      {.name = "unknown tier, as the lesson spells the field",
       .body = R"({"tier":"vip","items":[{"sku":"SKU-100","qty":1}]})", .status = 400,
       .code = "invalid_customer_tier"},
      {.name = "customer wrong type", .body = R"({"customer_id":5,"items":[{"sku":"SKU-100","qty":1}]})",
       .status = 400, .code = "invalid_customer_id"},
      {.name = "empty items", .body = Items(json::array()), .status = 400, .code = "missing_items"},
      {.name = "zero quantity", .body = OneLine("SKU-100", 0), .status = 400,
       .code = "invalid_quantity"},
      {.name = "negative quantity", .body = OneLine("SKU-100", -3), .status = 400,
       .code = "invalid_quantity"},
      {.name = "huge quantity", .body = OneLine("SKU-100", 1e12), .status = 400,
       .code = "invalid_quantity"},
      {.name = "fractional quantity", .body = OneLine("SKU-100", 1.5), .status = 400,
       .code = "invalid_quantity"},
      {.name = "quantity as string", .body = OneLine("SKU-100", "1"), .status = 400,
       .code = "invalid_quantity"},
      {.name = "101 items", .body = Items(hundred_and_one), .status = 400,
       .code = "too_many_items"},
      {.name = "10 KB SKU", .body = OneLine(std::string(10 * 1024, 'S'), 1), .status = 400,
       .code = "invalid_sku"},
      {.name = "SKU with quotes", .body = OneLine("SKU-'1\"", 1), .status = 400,
       .code = "invalid_sku"},
      {.name = "SKU with semicolon", .body = OneLine("SKU-1; DELETE FROM stock", 1),
       .status = 400, .code = "invalid_sku"},
      {.name = "SKU with NUL", .body = R"({"customer_id":"c","items":[{"sku":"SKU-\u0000","qty":1}]})",
       .status = 400, .code = "invalid_sku"},
      {.name = "non-UTF-8 bytes", .body = "{\"customer_id\":\"c\",\"items\":[{\"sku\":\"SKU-\xff\xfe\",\"qty\":1}]}",
       .status = 400, .code = "invalid_json"},
      {.name = "unknown tier", .body = R"({"customer_id":"c","customer_tier":"vip","items":[{"sku":"SKU-100","qty":1}]})",
       .status = 400, .code = "invalid_customer_tier"},
      {.name = "body over 1 MiB", .body = std::string(1024 * 1024 + 1, ' '), .status = 413,
       .code = ""},
      {.name = "9 KiB of headers", .body = OneLine("SKU-100", 1),
       .headers = {{"X-Padding", std::string(9 * 1024, 'h')}}, .status = 431, .code = ""},
      {.name = "unknown route", .target = "/api/nothing-here", .body = "{}", .status = 404,
       .code = "not_found"},
      {.name = "wrong method", .method = "DELETE", .target = "/api/orders", .body = "",
       .status = 405, .code = "method_not_allowed"},
      {.name = "wrong content type", .body = OneLine("SKU-100", 1),
       .content_type = "text/plain", .status = 415, .code = "unsupported_media_type"},
      {.name = "malformed order id", .method = "GET", .target = "/api/orders/1;DROP", .body = "",
       .status = 400, .code = "invalid_order_id"},
      {.name = "malformed SKU in path", .method = "GET", .target = "/api/inventory/SKU%27", .body = "",
       .status = 400, .code = "invalid_sku"},
  };
}

class BadInputTest : public ::testing::TestWithParam<BadInput> {};

TEST_P(BadInputTest, ClearErrorErrorSpanAndNothingChanged) {
  const auto& input = GetParam();
  auto& env = IntegrationEnv::Get();
  auto before = TakeSnapshot();

  auto headers = input.headers;
  if (!input.body.empty()) headers.emplace_back("Content-Type", input.content_type);
  auto response = HttpRequest(input.method, env.stack.GatewayUrl(input.target), input.body, headers);
  ASSERT_TRUE(response.ok()) << response.error;
  EXPECT_EQ(response.status, input.status) << response.body;
  auto code = ErrorCode(response.body);
  EXPECT_FALSE(code.empty()) << "not a JSON error: " << response.body.substr(0, 200);
  if (!input.code.empty()) {
    EXPECT_EQ(code, input.code) << response.body.substr(0, 300);
  }
  EXPECT_EQ(response.Header("content-type").value_or(""), "application/json");

  auto trace_id = TraceIdOf(response);
  ASSERT_EQ(trace_id.size(), 32u) << "every response names its trace";
  auto gateway_root = [](const DecodedSpan& span) {
    return span.parent_span_id_hex.empty() && span.kind == 2 &&
           ResourceAttribute(span, "service.name") == "api-gateway";
  };
  auto spans = env.sink.WaitForTrace(
      trace_id,
      [&](const std::vector<DecodedSpan>& trace) {
        return std::any_of(trace.begin(), trace.end(), gateway_root);
      },
      10s);
  auto root = std::find_if(spans.begin(), spans.end(), gateway_root);
  ASSERT_NE(root, spans.end()) << "no SERVER span from the gateway";
  EXPECT_EQ(root->status_code, kStatusError) << "the gateway's SERVER span is ERROR";
  EXPECT_EQ(TakeSnapshot(), before) << ToString(TakeSnapshot()) << " vs " << ToString(before);
}

INSTANTIATE_TEST_SUITE_P(Gateway, BadInputTest, ::testing::ValuesIn(Cases()),
                         [](const auto& info) {
                           std::string name;
                           for (char c : info.param.name) {
                             name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           }
                           return name;
                         });

// Opens a connection to `port`, sends `bytes`, and returns what the server sends back until it
// closes the connection or `timeout` passes.
std::string Exchange(std::uint16_t port, const std::string& bytes,
                     std::chrono::milliseconds timeout) {
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  asio::write(socket, asio::buffer(bytes));
  std::string received;
  std::array<char, 4096> chunk;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::function<void()> read_more = [&] {
    socket.async_read_some(asio::buffer(chunk), [&](boost::system::error_code error, std::size_t n) {
      received.append(chunk.data(), n);
      if (!error) read_more();
    });
  };
  read_more();
  io.run_until(deadline);
  return received;
}

TEST(BadInputConnections, SlowClientIsTimedOutWithoutHoldingTheServer) {
  auto& env = IntegrationEnv::Get();
  auto port = env.stack.Port(ServiceStack::kGateway);
  // More unfinished requests than the gateway runs handlers at once (HTTP_MAX_HANDLERS, 32).
  asio::io_context io;
  std::vector<asio::ip::tcp::socket> slow;
  for (int i = 0; i < 48; ++i) {
    auto& socket = slow.emplace_back(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), port});
    asio::write(socket, asio::buffer(std::string("POST /api/orders HTTP/1.1\r\nHost: x\r\n"
                                                 "Content-Type: application/json\r\n"
                                                 "Content-Length: 100\r\n\r\n{\"cust")));
  }
  // Meanwhile the stack still serves.
  auto served = PostOrder(OrderBody("SKU-101", 1));
  EXPECT_EQ(served.status, 201) << served.body;

  // Each slow request is answered 408 once the read timeout (2 s here) passes; the wait for it
  // is bounded, so a server that never times the request out fails the test instead of hanging.
  std::string answer;
  std::array<char, 4096> chunk;
  std::function<void()> read_more = [&] {
    slow.front().async_read_some(asio::buffer(chunk), [&](boost::system::error_code error,
                                                          std::size_t n) {
      answer.append(chunk.data(), n);
      if (!error) read_more();
    });
  };
  read_more();
  io.run_for(std::chrono::seconds(10));
  EXPECT_EQ(answer.rfind("HTTP/1.1 408", 0), 0u) << answer;
}

TEST(BadInputConnections, ClientThatDisconnectsMidRequestChangesNothing) {
  auto& env = IntegrationEnv::Get();
  auto before = TakeSnapshot();
  auto body = OrderBody("SKU-102", 1);
  auto partial = "POST /api/orders HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                 body.substr(0, body.size() / 2);
  {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    socket.connect({asio::ip::make_address("127.0.0.1"), env.stack.Port(ServiceStack::kGateway)});
    asio::write(socket, asio::buffer(partial));
  }  // closed here, mid-body
  auto health = HttpGet(env.stack.GatewayUrl("/healthz"));
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(TakeSnapshot(), before);
  auto served = PostOrder(OrderBody("SKU-102", 1));
  EXPECT_EQ(served.status, 201) << served.body;
}

TEST(BadInputConnections, MalformedRequestLineGetsA400) {
  auto answer = Exchange(IntegrationEnv::Get().stack.Port(ServiceStack::kGateway),
                         "THIS IS NOT HTTP\r\n\r\n", 5s);
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
}

TEST(BadInputDirect, InventoryRefusesBadReservationsItself) {
  auto& env = IntegrationEnv::Get();
  auto before = TakeSnapshot();
  auto url = env.stack.Url(ServiceStack::kInventory) + "/reserve";
  auto no_id = HttpPost(url, R"({"items":[{"sku":"SKU-100","qty":1}]})", "application/json");
  EXPECT_EQ(no_id.status, 400);
  EXPECT_EQ(ErrorCode(no_id.body), "invalid_reservation_id");
  auto bad_sku = HttpPost(url,
                          R"({"reservation_id":"0b7c5a52-1f1e-4c1a-9d53-6f1c2b3a4d5e",
                              "items":[{"sku":"SKU;1","qty":1}]})",
                          "application/json");
  EXPECT_EQ(bad_sku.status, 400);
  EXPECT_EQ(ErrorCode(bad_sku.body), "invalid_sku");
  EXPECT_EQ(TakeSnapshot(), before);
}

}  // namespace
}  // namespace hotorder::test
