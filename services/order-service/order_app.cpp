#include "order_app.hpp"

#include "routes.hpp"
#include "service/upstream_options.hpp"

namespace hotorder::orders {

OrderApp::OrderApp(service::Runtime& runtime)
    : pool_(db::PoolOptionsFromEnv(runtime.env), PrepareStatements),
      repository_(pool_, runtime.tracer),
      inventory_http_(service::UpstreamOptionsFromEnv(runtime.env, "inventory-service",
                                                      "INVENTORY_SERVICE_URL",
                                                      "http://127.0.0.1:8082"),
                      runtime.tracer, runtime.propagator),
      inventory_(inventory_http_),
      logic_(inventory_, repository_, runtime.tracer),
      trace_note_(TraceNote(runtime.env.String("TRACE_PIPELINE", "all"))) {
  runtime.log.Info("dependencies", {{"database", pool_.database()},
                                    {"database_host", pool_.host()},
                                    {"database_port", pool_.port()},
                                    {"pool_size", pool_.options().size},
                                    {"inventory_service_url", inventory_http_.options().base_url},
                                    {"trace_pipeline", runtime.env.String("TRACE_PIPELINE", "all")}});
}

http::Router OrderApp::Routes() { return BuildRoutes(logic_, trace_note_); }

}  // namespace hotorder::orders
