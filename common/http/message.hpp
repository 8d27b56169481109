#pragma once
// Requests and responses as handlers see them: plain values, no Beast types, so routes and
// their tests need no sockets.

#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "telemetry/propagation/text_map.hpp"

namespace hotorder::http {

struct Request {
  std::string method;  // as received, e.g. "POST"
  std::string target;  // as received, e.g. "/api/orders?x=1"
  std::string path;    // target without the query
  std::string body;
  telemetry::HeaderMap headers;  // names as received; look up case-insensitively
  std::unordered_map<std::string, std::string> path_params;  // {id} in "/orders/{id}"
  std::string client_address;

  // The first value of header `name` (case-insensitive), or "" when absent.
  std::string_view Header(std::string_view name) const;
  // The value of path parameter `name`; "" when the route has none by that name.
  const std::string& PathParam(const std::string& name) const;
};

struct Response {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers

  static Response Json(unsigned status, std::string body);
};

// {"error":{"code":"...","message":"..."}}; `message` is repaired to valid UTF-8 and escaped.
std::string ErrorBody(std::string_view code, std::string_view message);

}  // namespace hotorder::http
