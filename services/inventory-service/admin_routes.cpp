#include "admin_routes.hpp"

#include <string>

#include "http/json_body.hpp"

namespace hotorder::inventory {
namespace {

void RecordChange(http::RequestContext& context, const SlowIndexScanSettings& previous,
                  const SlowIndexScanSettings& next) {
  const auto mode = std::string(FaultModeName(next.mode));
  const auto from = SlowIndexScanJson(previous).dump();
  const auto to = SlowIndexScanJson(next).dump();
  context.server_span.AddEvent("fault.changed", {{"fault.name", kSlowIndexScan},
                                                 {"fault.enabled", next.enabled},
                                                 {"fault.mode", mode},
                                                 {"fault.delay_ms", next.delay_ms},
                                                 {"fault.ratio", next.ratio},
                                                 {"fault.previous", from}});
  context.log.Info("fault changed", {{"fault", kSlowIndexScan},
                                     {"from", std::string_view(from)},
                                     {"to", std::string_view(to)},
                                     {"client", std::string_view(context.request.client_address)}});
}

}  // namespace

void AddAdminRoutes(http::Router& router, FaultControl& control, const AdminPolicy& policy) {
  // Every read goes through Reconcile: the answer is the database's truth about the index.
  router.Add("GET", "/admin/faults", [&control, policy](http::RequestContext& context) {
    CheckAdminAccess(policy, context.request);
    return http::JsonResponse(
        200, {{std::string(kSlowIndexScan), FaultStatusJson(control.Reconcile(context.trace))}});
  });

  const std::string path = "/admin/faults/" + std::string(kSlowIndexScan);
  router.Add("GET", path, [&control, policy](http::RequestContext& context) {
    CheckAdminAccess(policy, context.request);
    return http::JsonResponse(200, FaultStatusJson(control.Reconcile(context.trace)));
  });

  router.Add("PUT", path, [&control, policy](http::RequestContext& context) {
    CheckAdminAccess(policy, context.request);
    auto body = http::ParseJsonObject(context.request);
    // Two admins racing is last-writer-wins; FaultControl runs one change at a time.
    auto change = control.Apply(context.trace, body);
    RecordChange(context, change.previous, change.now.settings);
    return http::JsonResponse(200, FaultStatusJson(change.now));
  });
}

}  // namespace hotorder::inventory
