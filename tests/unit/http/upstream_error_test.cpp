#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "http/client.hpp"
#include "http/client_error_body.hpp"
#include "telemetry/utf8.hpp"

namespace hotorder::http {
namespace {

std::string ErrorJson(std::string_view code, std::string_view message) {
  return R"({"error":{"code":")" + std::string(code) + R"(","message":")" +
         std::string(message) + R"("}})";
}

// What RaiseForUpstreamStatus threw, or nullopt when it returned.
std::optional<HttpError> Raised(unsigned status, std::string body) {
  try {
    RaiseForUpstreamStatus({status, std::move(body), "application/json"}, "inventory-service");
  } catch (const HttpError& e) {
    return e;
  }
  return std::nullopt;
}

TEST(RaiseForUpstreamStatus, ReturnsFor2xx) {
  EXPECT_EQ(Raised(200, "{}"), std::nullopt);
  EXPECT_EQ(Raised(201, "not even json"), std::nullopt);
  EXPECT_EQ(Raised(204, ""), std::nullopt);
}

struct Case {
  unsigned upstream_status;
  std::string body;
  unsigned status;
  std::string code;
  std::string message;
};

TEST(RaiseForUpstreamStatus, MapsEveryKindOfAnswer) {
  const std::string not_found = ErrorJson("unknown_sku", "no SKU named SKU-9");
  const Case cases[] = {
      // 4xx: the caller's client made the mistake; status, code and message pass through.
      {400, ErrorJson("invalid_json", "bad body"), 400, "invalid_json", "bad body"},
      {404, not_found, 404, "unknown_sku", "no SKU named SKU-9"},
      {409, ErrorJson("insufficient_stock", "SKU-1: 0 left"), 409, "insufficient_stock",
       "SKU-1: 0 left"},
      {429, ErrorJson("too_many", "slow down"), 429, "too_many", "slow down"},
      // 503 and 504 keep their status, named after the upstream.
      {503, ErrorJson("db_unavailable", "database down"), 503, "upstream_unavailable",
       "inventory-service: database down"},
      {504, ErrorJson("db_timeout", "query too slow"), 504, "upstream_timeout",
       "inventory-service: query too slow"},
      // Anything else is the upstream's failure.
      {500, ErrorJson("internal", "internal error"), 502, "upstream_error",
       "inventory-service answered 500: internal error"},
      {502, ErrorJson("upstream_unavailable", "x is down"), 502, "upstream_error",
       "inventory-service answered 502: x is down"},
      {302, ErrorJson("moved", "elsewhere"), 502, "upstream_error",
       "inventory-service answered 302: elsewhere"},
      // An empty message falls back to the code.
      {409, ErrorJson("conflict", ""), 409, "conflict", "conflict"},
      // Not the error shape: the upstream broke the contract.
      {500, "<html>oops</html>", 502, "upstream_bad_response",
       "inventory-service answered 500 without a JSON error body"},
      {404, "", 502, "upstream_bad_response",
       "inventory-service answered 404 without a JSON error body"},
      {400, R"({"error":"bad"})", 502, "upstream_bad_response",
       "inventory-service answered 400 without a JSON error body"},
      {400, R"({"error":{"code":7,"message":"x"}})", 502, "upstream_bad_response",
       "inventory-service answered 400 without a JSON error body"},
      {400, R"({"error":{"code":"x"}})", 502, "upstream_bad_response",
       "inventory-service answered 400 without a JSON error body"},
      {400, ErrorJson("Not A Code", "x"), 502, "upstream_bad_response",
       "inventory-service answered 400 without a JSON error body"},
      {503, "[1,2]", 502, "upstream_bad_response",
       "inventory-service answered 503 without a JSON error body"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::to_string(c.upstream_status) + " " + c.body);
    auto error = Raised(c.upstream_status, c.body);
    ASSERT_TRUE(error.has_value());
    EXPECT_EQ(error->status(), c.status);
    EXPECT_EQ(error->code(), c.code);
    EXPECT_EQ(std::string(error->what()), c.message);
  }
}

TEST(RaiseForUpstreamStatus, TruncatesLongMessagesToValidUtf8) {
  // 150 two-byte characters: 300 bytes, cut somewhere inside a character at 200 bytes.
  std::string long_message = "x";
  for (int i = 0; i < 150; ++i) long_message += "\u00e9";
  auto error = Raised(409, ErrorJson("conflict", long_message));
  ASSERT_TRUE(error.has_value());
  std::string message = error->what();
  EXPECT_LE(message.size(), 203u);
  EXPECT_TRUE(message.ends_with("..."));
  EXPECT_TRUE(telemetry::IsValidUtf8(message));
  EXPECT_EQ(message.substr(0, 3), "x\u00e9");
}

TEST(ShortenMessage, KeepsShortTextAndMakesControlsSpaces) {
  EXPECT_EQ(detail::ShortenMessage("fine", 10), "fine");
  EXPECT_EQ(detail::ShortenMessage("a\nb\tc", 10), "a b c");
  EXPECT_EQ(detail::ShortenMessage("abcdef", 3), "abc...");
  EXPECT_EQ(detail::ShortenMessage("bad \xff byte", 50), "bad \uFFFD byte");
  EXPECT_EQ(detail::ShortenMessage("\u20ac\u20ac", 4), "\u20ac...");  // 3-byte euro signs
}

TEST(ParseErrorBody, ReadsTheErrorShapeOnly) {
  auto parsed = detail::ParseErrorBody(ErrorJson("unknown_sku", "none"));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->code, "unknown_sku");
  EXPECT_EQ(parsed->message, "none");
  EXPECT_EQ(detail::ParseErrorBody("{"), std::nullopt);
  EXPECT_EQ(detail::ParseErrorBody("\"error\""), std::nullopt);
  EXPECT_EQ(detail::ParseErrorBody(R"({"error":{"code":"","message":"m"}})"), std::nullopt);
  EXPECT_EQ(detail::ParseErrorBody("{\"error\":{\"code\":\"x\",\"message\":\"\xff\"}}"),
            std::nullopt);  // not UTF-8: not JSON
}

}  // namespace
}  // namespace hotorder::http
