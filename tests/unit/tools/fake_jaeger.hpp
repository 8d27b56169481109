#pragma once
// What the tool's HTTP tests share: Jaeger's answers as an in-test server scripts them.

#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "support/test_http_server.hpp"
#include "tools/investigate/http_get.hpp"
#include "trace_builder.hpp"

namespace hotorder::investigate::testing {

inline BaseUrl UrlOf(const std::string& text) { return std::get<BaseUrl>(ParseBaseUrl(text)); }

inline test::ScriptedResponse Json(unsigned status, const nlohmann::json& body) {
  return {.status = status,
          .headers = {{"Content-Type", "application/json"}},
          .body = body.dump()};
}

// GET /api/traces/{id} for the HotOrder-shaped trace.
inline nlohmann::json TraceAnswerJson() {
  return nlohmann::json{{"data", nlohmann::json::array({TraceJson(HotOrderSpecs())})}};
}

}  // namespace hotorder::investigate::testing
