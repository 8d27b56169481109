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

void AddAdminRoutes(http::Router& router, FaultSwitch& faults, const AdminPolicy& policy) {
  router.Add("GET", "/admin/faults", [&faults, policy](http::RequestContext& context) {
    CheckAdminAccess(policy, context.request);
    return http::JsonResponse(200, {{std::string(kSlowIndexScan), SlowIndexScanJson(faults.Get())}});
  });

  const std::string path = "/admin/faults/" + std::string(kSlowIndexScan);
  router.Add("GET", path, [&faults, policy](http::RequestContext& context) {
    CheckAdminAccess(policy, context.request);
    return http::JsonResponse(200, SlowIndexScanJson(faults.Get()));
  });

  router.Add("PUT", path, [&faults, policy](http::RequestContext& context) {
    CheckAdminAccess(policy, context.request);
    auto body = http::ParseJsonObject(context.request);
    // Validate against the current state, then swap; two admins racing is last-writer-wins.
    auto next = ApplySlowIndexScanUpdate(faults.Get(), body);
    auto previous = faults.Set(next);
    RecordChange(context, previous, next);
    return http::JsonResponse(200, SlowIndexScanJson(next));
  });
}

}  // namespace hotorder::inventory
