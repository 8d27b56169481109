#include "api-gateway/gateway_logic.hpp"

#include <gtest/gtest.h>

#include "http/http_error.hpp"

namespace hotorder::gateway {
namespace {

TEST(ForwardedRequest, KeepsMethodBodyAndIdempotencyKeyOnly) {
  http::Request request;
  request.method = "POST";
  request.body = R"({"items":[]})";
  request.headers.Add("Idempotency-Key", "k-1");
  request.headers.Add("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  request.headers.Add("Cookie", "secret");
  auto forwarded = ForwardedRequest(request, "/orders", "/orders");
  EXPECT_EQ(forwarded.method, "POST");
  EXPECT_EQ(forwarded.route, "/orders");
  EXPECT_EQ(forwarded.body, request.body);
  ASSERT_EQ(forwarded.headers.size(), 1u);
  EXPECT_EQ(forwarded.headers[0], (std::pair<std::string, std::string>{"Idempotency-Key", "k-1"}));
}

TEST(ClientAnswer, PassesSuccessThroughAsItIs) {
  auto response = ClientAnswer({201, R"({"order_id":"x"})", "application/json"}, "order-service");
  EXPECT_EQ(response.status, 201u);
  EXPECT_EQ(response.body, R"({"order_id":"x"})");
}

TEST(ClientAnswer, KeepsAClientErrorsStatusAndCode) {
  try {
    ClientAnswer({409, R"({"error":{"code":"insufficient_stock","message":"short"}})",
                  "application/json"},
                 "order-service");
    FAIL();
  } catch (const http::HttpError& error) {
    EXPECT_EQ(error.status(), 409u);
    EXPECT_EQ(error.code(), "insufficient_stock");
  }
}

TEST(ClientAnswer, TurnsAnUpstreamFailureIntoBadGateway) {
  try {
    ClientAnswer({500, R"({"error":{"code":"internal","message":"boom"}})", "application/json"},
                 "order-service");
    FAIL();
  } catch (const http::HttpError& error) {
    EXPECT_EQ(error.status(), 502u);
  }
}

TEST(AsksToKeepTrace, OnlyForHotorderKeepTrue) {
  auto with = [](std::string_view key, std::string_view value) {
    return AsksToKeepTrace(telemetry::Baggage().Set(key, value));
  };
  EXPECT_TRUE(with("hotorder.keep", "true"));
  EXPECT_TRUE(with("hotorder.keep", "1"));
  EXPECT_FALSE(with("hotorder.keep", "false"));
  EXPECT_FALSE(with("hotorder.keep", "yes"));
  EXPECT_FALSE(with("hotorder.fault", "slow-index-scan"));
  EXPECT_FALSE(AsksToKeepTrace(telemetry::Baggage()));
}

}  // namespace
}  // namespace hotorder::gateway
