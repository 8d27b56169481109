#include "routes.hpp"

#include "http/json_body.hpp"

namespace hotorder::orders {

http::Router BuildRoutes(OrderLogic& logic, std::string trace_note) {
  http::Router router;

  router.Add("POST", "/orders", [&logic, trace_note](http::RequestContext& context) {
    auto body = http::ParseJsonObject(context.request);
    auto placed = logic.Place(context.trace, context.log, body,
                              std::string(context.request.Header("idempotency-key")),
                              context.trace.span.trace_id().ToHex());
    context.server_span.SetAttribute("order.id", placed.order.id);
    auto json = OrderJson(placed.order);
    if (!trace_note.empty()) json["trace_note"] = trace_note;
    auto response = http::JsonResponse(201, json);
    if (placed.replayed) response.headers.emplace_back("Idempotent-Replayed", "true");
    return response;
  });

  router.Add("GET", "/orders/{id}", [&logic](http::RequestContext& context) {
    return http::JsonResponse(200, OrderJson(logic.Get(context.trace,
                                                       context.request.PathParam("id"))));
  });

  return router;
}

}  // namespace hotorder::orders
