#pragma once
// Method + path-template routing. Templates are literal segments and `{name}` segments, e.g.
// "/orders/{id}"; a `{name}` segment matches one non-empty path segment. Handlers are blocking
// functions (they run on the connection's thread) that return a Response or throw; the router
// is the one place where exceptions become responses (see Dispatch).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/message.hpp"
#include "http/request_context.hpp"

namespace hotorder::http {

using Handler = std::function<Response(RequestContext&)>;

struct RouteMatch {
  const std::string* route = nullptr;  // the template, e.g. "/orders/{id}"; null when none
  const Handler* handler = nullptr;    // null when the path matched but the method did not (405)
  std::vector<std::string> allowed_methods;  // for 405's Allow header
  std::unordered_map<std::string, std::string> params;
};

class Router {
 public:
  void Add(std::string method, std::string route_template, Handler handler);

  // A route for the path (or none), with the handler for the method when there is one.
  RouteMatch Match(std::string_view method, std::string_view path) const;

  // Runs the matched handler and turns its outcome into a response: HttpError → its status and
  // ErrorBody; any other exception → 500 "internal". Every error marks `context.server_span`
  // ERROR with a description, records the exception as a span event, and logs one line.
  // 404/405 for an unmatched request are produced the same way.
  Response Dispatch(const RouteMatch& match, RequestContext& context) const noexcept;

 private:
  struct Route {
    std::string method;
    std::string route_template;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace hotorder::http
