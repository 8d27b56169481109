#include "routes.hpp"

#include "gateway_logic.hpp"
#include "http/json_body.hpp"

namespace hotorder::gateway {
namespace {

http::Response Forward(http::HttpClient& upstream, http::RequestContext& context,
                       std::string route, std::string target) {
  if (AsksToKeepTrace(context.trace.baggage)) context.server_span.SetAttribute(kKeepTraceKey, true);
  auto answer = upstream.Send(context.trace,
                              ForwardedRequest(context.request, std::move(route), std::move(target)));
  return ClientAnswer(answer, upstream.options().name);
}

}  // namespace

http::Router BuildRoutes(http::HttpClient& orders, http::HttpClient& inventory) {
  http::Router router;

  router.Add("POST", "/api/orders", [&orders](http::RequestContext& context) {
    http::ParseJsonObject(context.request);  // refuse what is not a JSON object here, not upstream
    return Forward(orders, context, "/orders", "/orders");
  });

  // Path parameters are forwarded as received (one segment, still percent-encoded): the
  // upstream validates them.
  router.Add("GET", "/api/orders/{id}", [&orders](http::RequestContext& context) {
    return Forward(orders, context, "/orders/{id}", "/orders/" + context.request.PathParam("id"));
  });

  router.Add("GET", "/api/inventory/{sku}", [&inventory](http::RequestContext& context) {
    return Forward(inventory, context, "/stock/{sku}",
                   "/stock/" + context.request.PathParam("sku"));
  });

  return router;
}

}  // namespace hotorder::gateway
