#include "routes.hpp"

#include "admin_routes.hpp"
#include "http/http_error.hpp"
#include "http/json_body.hpp"
#include "inventory_logic.hpp"

namespace hotorder::inventory {

http::Router BuildRoutes(InventoryRepository& repository, FaultSwitch& faults,
                         FaultControl& control, const AdminPolicy& admin) {
  http::Router router;

  router.Add("POST", "/reserve", [&repository, &faults](http::RequestContext& context) {
    auto request = ParseReserveRequest(http::ParseJsonObject(context.request));
    context.server_span.SetAttribute("inventory.reservation_id", request.reservation_id);
    auto fault = faults.Decide(context.trace.baggage);
    auto outcome = repository.Reserve(context.trace, request.reservation_id, request.items, fault);
    RaiseForOutcome(outcome);
    return http::JsonResponse(200, ReservationJson(request, outcome));
  });

  router.Add("POST", "/release", [&repository](http::RequestContext& context) {
    auto reservation_id = ParseReleaseRequest(http::ParseJsonObject(context.request));
    context.server_span.SetAttribute("inventory.reservation_id", reservation_id);
    bool released = repository.Release(context.trace, reservation_id);
    return http::JsonResponse(200, {{"reservation_id", reservation_id}, {"released", released}});
  });

  router.Add("GET", "/stock/{sku}", [&repository](http::RequestContext& context) {
    const auto& sku = context.request.PathParam("sku");
    ValidateSku(sku);
    auto stock = repository.FindStock(context.trace, sku);
    if (!stock) throw http::HttpError(404, "unknown_sku", "unknown SKU " + sku);
    return http::JsonResponse(200, StockJson(*stock));
  });

  AddAdminRoutes(router, control, admin);
  return router;
}

}  // namespace hotorder::inventory
