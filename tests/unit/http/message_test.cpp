#include "http/message.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace hotorder::http {
namespace {

TEST(Request, HeaderLookupIsCaseInsensitiveAndTakesTheFirstValue) {
  Request request;
  request.headers.Add("Content-Type", "application/json");
  request.headers.Add("X-Thing", "one");
  request.headers.Add("x-thing", "two");
  EXPECT_EQ(request.Header("content-type"), "application/json");
  EXPECT_EQ(request.Header("X-THING"), "one");
  EXPECT_EQ(request.Header("missing"), "");
}

TEST(Request, PathParamIsEmptyWhenAbsent) {
  Request request;
  request.path_params["id"] = "42";
  EXPECT_EQ(request.PathParam("id"), "42");
  EXPECT_EQ(request.PathParam("other"), "");
}

TEST(Response, JsonSetsStatusBodyAndContentType) {
  const Response response = Response::Json(201, R"({"ok":true})");
  EXPECT_EQ(response.status, 201u);
  EXPECT_EQ(response.body, R"({"ok":true})");
  EXPECT_EQ(response.content_type, "application/json");
}

TEST(ErrorBody, HasTheErrorShape) {
  EXPECT_EQ(ErrorBody("not_found", "no such order"),
            R"({"error":{"code":"not_found","message":"no such order"}})");
}

TEST(ErrorBody, EscapesAndRepairsInvalidUtf8) {
  const std::string body = ErrorBody("bad_input", "quote \" newline \n bad \xff byte");
  const auto json = nlohmann::json::parse(body);  // throws if not valid JSON/UTF-8
  EXPECT_EQ(json["error"]["message"], "quote \" newline \n bad \xEF\xBF\xBD byte");
}

}  // namespace
}  // namespace hotorder::http
