#include "http/router.hpp"

#include <algorithm>
#include <exception>
#include <stdexcept>

#include "http/http_error.hpp"
#include "http/request_failure.hpp"

namespace hotorder::http {
namespace {

// "/orders/{id}" → {"orders", "{id}"}; "/" → {""}. Paths are split the same way, so a trailing
// slash is a segment of its own and "/orders/" does not match "/orders".
std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

bool IsParam(std::string_view segment) noexcept {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

int HexDigit(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Path parameters are handed to handlers decoded ("a%20b" → "a b"); a malformed escape is kept
// as it is rather than rejected, the handler's own validation decides.
std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = HexDigit(text[i + 1]);
      const int lo = HexDigit(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>((hi << 4) | lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

// Whether `route` matches `path`; fills `params` when it does.
bool MatchSegments(const std::vector<std::string>& route, const std::vector<std::string>& path,
                   std::unordered_map<std::string, std::string>* params) {
  if (route.size() != path.size()) return false;
  for (std::size_t i = 0; i < route.size(); ++i) {
    if (IsParam(route[i])) {
      if (path[i].empty()) return false;
    } else if (route[i] != path[i]) {
      return false;
    }
  }
  if (params != nullptr) {
    for (std::size_t i = 0; i < route.size(); ++i) {
      if (IsParam(route[i])) {
        (*params)[route[i].substr(1, route[i].size() - 2)] = PercentDecode(path[i]);
      }
    }
  }
  return true;
}

// True when template `a` is more specific than `b`: at the first segment where one is literal
// and the other a parameter, the literal wins ("/orders/stats" before "/orders/{id}").
bool MoreSpecific(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const bool a_param = IsParam(a[i]);
    const bool b_param = IsParam(b[i]);
    if (a_param != b_param) return !a_param;
  }
  return false;
}

std::string JoinMethods(const std::vector<std::string>& methods) {
  std::string joined;
  for (const auto& method : methods) {
    if (!joined.empty()) joined += ", ";
    joined += method;
  }
  return joined;
}

}  // namespace

void Router::Add(std::string method, std::string route_template, Handler handler) {
  if (route_template.empty() || route_template.front() != '/') {
    throw std::invalid_argument("route template must start with '/': " + route_template);
  }
  if (!handler) throw std::invalid_argument("route without a handler: " + route_template);
  for (const auto& route : routes_) {
    if (route.method == method && route.route_template == route_template) {
      throw std::invalid_argument("duplicate route: " + method + " " + route_template);
    }
  }
  auto segments = SplitPath(route_template);
  routes_.push_back(Route{std::move(method), std::move(route_template), std::move(segments),
                          std::move(handler)});
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  RouteMatch match;
  const auto segments = SplitPath(path);
  const Route* best = nullptr;
  for (const auto& route : routes_) {
    if (!MatchSegments(route.segments, segments, nullptr)) continue;
    if (best == nullptr || MoreSpecific(route.segments, best->segments)) best = &route;
  }
  if (best == nullptr) return match;

  match.route = &best->route_template;
  MatchSegments(best->segments, segments, &match.params);
  for (const auto& route : routes_) {
    if (route.route_template != best->route_template) continue;
    match.allowed_methods.push_back(route.method);
    if (route.method == method) match.handler = &route.handler;
  }
  std::sort(match.allowed_methods.begin(), match.allowed_methods.end());
  return match;
}

Response Router::Dispatch(const RouteMatch& match, RequestContext& context) const noexcept {
  const FailedRequest failed{context.request.method, context.request.target};
  try {
    try {
      if (match.route == nullptr) {
        throw HttpError(404, "not_found",
                        "no route for " + context.request.method + " " + context.request.path);
      }
      if (match.handler == nullptr) {
        try {
          throw HttpError(405, "method_not_allowed",
                          context.request.method + " is not allowed on " + *match.route);
        } catch (const HttpError& error) {
          Response response = FailRequest(error, context.server_span, context.log, failed);
          response.headers.emplace_back("Allow", JoinMethods(match.allowed_methods));
          return response;
        }
      }
      Response response = (*match.handler)(context);
      if (response.status >= 400) {
        MarkErrorResponse(response, context.server_span, context.log, failed);
      }
      return response;
    } catch (const HttpError& error) {
      return FailRequest(error, context.server_span, context.log, failed);
    } catch (const std::exception& error) {
      return FailInternal(&error, context.server_span, context.log, failed);
    } catch (...) {
      return FailInternal(nullptr, context.server_span, context.log, failed);
    }
  } catch (...) {
    // Only a failure to allocate while building the error can get here.
    return Response{.status = 500};
  }
}

}  // namespace hotorder::http
