#include "gateway_app.hpp"

#include "routes.hpp"
#include "service/upstream_options.hpp"

namespace hotorder::gateway {

GatewayApp::GatewayApp(service::Runtime& runtime)
    : orders_(service::UpstreamOptionsFromEnv(runtime.env, "order-service", "ORDER_SERVICE_URL",
                                              "http://127.0.0.1:8081"),
              runtime.tracer, runtime.propagator),
      inventory_(service::UpstreamOptionsFromEnv(runtime.env, "inventory-service",
                                                 "INVENTORY_SERVICE_URL", "http://127.0.0.1:8082"),
                 runtime.tracer, runtime.propagator) {
  runtime.log.Info("upstreams", {{"order_service_url", orders_.options().base_url},
                                 {"inventory_service_url", inventory_.options().base_url}});
}

http::Router GatewayApp::Routes() { return BuildRoutes(orders_, inventory_); }

}  // namespace hotorder::gateway
