// order_trace_cost: the tracing SDK's whole work for a fixed number of orders, as HotOrder's
// three services do it, with nothing else: no sockets, no database, no JSON.
//
//   order_trace_cost [ORDERS]      (default 200)
//
// Per order, eight spans in three "processes" (a TracerProvider each, with its own batch
// processor, as three services have): the gateway's SERVER and CLIENT spans, order-service's
// SERVER, validate-order, CLIENT POST /reserve and INSERT orders, inventory-service's SERVER and
// db.reserve-stock; W3C trace context and baggage injected and extracted at every hop; the
// SERVER spans described by the services' own code (http::DescribeRequest), the CLIENT and
// database spans with the attributes the services give them. Every batch is encoded to OTLP
// protobuf, the bytes an exporter would send, and discarded.
//
// Its purpose is an instruction count: under `valgrind --tool=callgrind --instr-atstart=no`
// only the orders and the final flush are counted (callgrind's client requests below), which
// is what tests/cost/trace_cost_test.cpp holds against a budget. Run natively it only checks
// itself. Prints "orders=N spans=M encoded_bytes=B"; exits 1 when fewer spans were encoded
// than the orders made.

#include <valgrind/callgrind.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "http/server_span.hpp"
#include "telemetry/otlp/otlp_encoding.hpp"
#include "telemetry/processor/batch_span_processor.hpp"
#include "telemetry/propagation/composite.hpp"
#include "telemetry/propagation/w3c_baggage.hpp"
#include "telemetry/propagation/w3c_trace_context.hpp"
#include "telemetry/tracer_provider.hpp"

namespace {

using namespace hotorder;
using telemetry::AttributeValue;
using telemetry::Context;
using telemetry::SpanKind;

constexpr int kSpansPerOrder = 8;

// What an OTLP exporter does with a batch before the network: encode it.
class EncodingExporter final : public telemetry::SpanExporter {
 public:
  telemetry::ExportResult Export(
      std::span<const std::unique_ptr<telemetry::SpanData>> batch) noexcept override {
    telemetry::otlp::EncodeProtobuf(batch, buffer_);
    spans_ += batch.size();
    bytes_ += buffer_.size();
    return telemetry::ExportResult::kSuccess;
  }
  bool ForceFlush(std::chrono::milliseconds) noexcept override { return true; }
  bool Shutdown(std::chrono::milliseconds) noexcept override { return true; }

  std::uint64_t spans() const { return spans_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  std::string buffer_;
  std::uint64_t spans_ = 0;
  std::uint64_t bytes_ = 0;
};

// One service's tracing: provider, batch processor, encoding exporter.
class Service {
 public:
  // Every span the service makes waits in its queue for the final flush, which exports them as
  // one batch: an export started early by a filling queue would make the count depend on when
  // the batch worker happens to run (runs differed by 2% that way).
  Service(std::string name, std::size_t spans) : exporter_(new EncodingExporter) {
    telemetry::TracerProviderOptions options;
    options.resource = telemetry::Resource{
        {{"service.name", name}, {"service.version", "0.1.0"}, {"host.name", "probe"}}, {}};
    telemetry::BatchSpanProcessorOptions batching;
    batching.max_queue_size = std::max<std::size_t>(spans, 1);
    batching.max_export_batch_size = batching.max_queue_size;
    batching.schedule_delay = std::chrono::hours(1);
    options.processor = std::make_unique<telemetry::BatchSpanProcessor>(
        std::unique_ptr<telemetry::SpanExporter>(exporter_), batching);
    provider_ = std::make_unique<telemetry::TracerProvider>(std::move(options));
    tracer_ = &provider_->GetTracer("hotorder." + name, "0.1.0");
  }
  const telemetry::Tracer& tracer() const { return *tracer_; }
  void Flush() { provider_->ForceFlush(std::chrono::seconds(30)); }
  const EncodingExporter& exporter() const { return *exporter_; }

 private:
  EncodingExporter* exporter_;  // owned by the processor, which the provider owns
  std::unique_ptr<telemetry::TracerProvider> provider_;
  const telemetry::Tracer* tracer_ = nullptr;
};

const telemetry::TextMapPropagator& Propagator() {
  static const telemetry::CompositePropagator propagator([] {
    std::vector<std::unique_ptr<telemetry::TextMapPropagator>> list;
    list.push_back(std::make_unique<telemetry::TraceContextPropagator>());
    list.push_back(std::make_unique<telemetry::BaggagePropagator>());
    return list;
  }());
  return propagator;
}

// A request as the server reads it; `upstream` holds the caller's injected headers.
http::Request IncomingRequest(std::string target, const telemetry::HeaderMap& upstream) {
  http::Request request;
  request.method = "POST";
  request.target = target;
  request.path = std::move(target);
  request.headers = upstream;
  request.headers.Set("Host", "127.0.0.1:8081");
  request.headers.Set("User-Agent", "loadgen/0.1.0");
  request.headers.Set("Content-Type", "application/json");
  return request;
}

telemetry::Span ServerSpan(const Service& service, const http::Request& request,
                           const std::string& route, Context& context) {
  context = Propagator().Extract(request.headers, Context{});
  static const http::ConnectionEndpoints kEndpoints{"127.0.0.1", 45678, "127.0.0.1", 8081};
  auto start = http::DescribeRequest(request, "1.1", &route, kEndpoints);
  auto span = service.tracer().StartSpan(
      start.name, context, {.kind = SpanKind::kServer, .attributes = std::move(start.attributes)});
  context = telemetry::ContextWithSpan(context, span);
  return span;
}

// A CLIENT call to the next hop: its span, and the headers it sends.
telemetry::Span ClientSpan(const Service& service, const Context& parent, std::string_view route,
                           std::string_view url, telemetry::HeaderMap& headers) {
  telemetry::Attributes attributes;
  attributes.reserve(5);
  attributes.push_back({"http.request.method", "POST"});
  attributes.push_back({"server.address", "127.0.0.1"});
  attributes.push_back({"server.port", 8082});
  attributes.push_back({"url.full", url});
  attributes.push_back({"network.protocol.version", "1.1"});
  auto span = service.tracer().StartSpan(
      std::string("POST ") + std::string(route), parent,
      {.kind = SpanKind::kClient, .attributes = std::move(attributes)});
  Propagator().Inject(telemetry::ContextWithSpan(parent, span), headers);
  return span;
}

telemetry::Span DbSpan(const Service& service, const Context& parent, std::string_view name,
                       std::string_view operation, std::string_view collection,
                       std::string_view query) {
  telemetry::Attributes attributes;
  attributes.reserve(7);
  attributes.push_back({"db.system.name", "postgresql"});
  attributes.push_back({"db.namespace", "hotorder"});
  attributes.push_back({"db.operation.name", operation});
  attributes.push_back({"db.collection.name", collection});
  attributes.push_back({"db.query.text", query});
  attributes.push_back({"server.address", "127.0.0.1"});
  attributes.push_back({"server.port", 55432});
  return service.tracer().StartSpan(
      name, parent, {.kind = SpanKind::kClient, .attributes = std::move(attributes)});
}

void Finish(telemetry::Span& span, unsigned status) {
  http::FinishServerSpan(span, status);
  span.End();
}

void OneOrder(const Service& gateway, const Service& orders, const Service& inventory) {
  static const std::string kGatewayRoute = "/api/orders", kOrdersRoute = "/orders",
                           kReserveRoute = "/reserve";
  Context gateway_context, orders_context, inventory_context;
  telemetry::HeaderMap from_client{{"baggage", "hotorder.customer=probe"}};

  auto gateway_server = ServerSpan(gateway, IncomingRequest("/api/orders", from_client),
                                   kGatewayRoute, gateway_context);
  telemetry::HeaderMap to_orders;
  auto gateway_client =
      ClientSpan(gateway, gateway_context, kOrdersRoute, "http://127.0.0.1:8081/orders", to_orders);

  auto orders_server =
      ServerSpan(orders, IncomingRequest("/orders", to_orders), kOrdersRoute, orders_context);
  orders_server.SetAttribute("order.id", "0b7c52a4-3f0e-4d8e-9c47-5f3f1b8e2a11");
  {
    auto validate = orders.tracer().StartSpan("validate-order", orders_context);
    validate.SetAttribute("order.item_count", 3);
    validate.SetAttribute("order.customer_tier", "gold");
  }
  telemetry::HeaderMap to_inventory;
  auto reserve_client = ClientSpan(orders, orders_context, kReserveRoute,
                                   "http://127.0.0.1:8082/reserve", to_inventory);

  auto inventory_server = ServerSpan(inventory, IncomingRequest("/reserve", to_inventory),
                                     kReserveRoute, inventory_context);
  {
    auto reserve = DbSpan(inventory, inventory_context, "db.reserve-stock", "UPDATE", "stock",
                          "UPDATE stock SET available = available - $2 WHERE sku = $1");
    reserve.SetAttribute("inventory.item_count", 3);
    reserve.SetAttribute("db.plan", "Index Scan using stock_sku_idx on stock");
  }
  Finish(inventory_server, 201);
  reserve_client.SetAttribute("http.response.status_code", 201);
  reserve_client.End();

  {
    auto insert = DbSpan(orders, orders_context, "INSERT orders", "INSERT", "orders",
                         "INSERT INTO orders (id, customer_id, status) VALUES ($1, $2, $3)");
  }
  Finish(orders_server, 201);
  gateway_client.SetAttribute("http.response.status_code", 201);
  gateway_client.End();
  Finish(gateway_server, 201);
}

}  // namespace

int main(int argc, char** argv) {
  int orders = 200;
  if (argc == 2) {
    const std::string_view text = argv[1];
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), orders);
    if (error != std::errc{} || end != text.data() + text.size() || orders < 1) argc = 0;
  }
  if (argc > 2 || argc == 0) {
    std::fputs("usage: order_trace_cost [ORDERS]\n", stderr);
    return 2;
  }
  // Each service's spans of all the orders (at most four an order, order-service's).
  const auto queue = static_cast<std::size_t>(orders) * 4;
  Service gateway("api-gateway", queue), order_service("order-service", queue),
      inventory("inventory-service", queue);

  CALLGRIND_START_INSTRUMENTATION;
  for (int i = 0; i < orders; ++i) OneOrder(gateway, order_service, inventory);
  for (auto* service : {&gateway, &order_service, &inventory}) service->Flush();
  CALLGRIND_STOP_INSTRUMENTATION;

  std::uint64_t spans = 0, bytes = 0;
  for (auto* service : {&gateway, &order_service, &inventory}) {
    spans += service->exporter().spans();
    bytes += service->exporter().bytes();
  }
  std::printf("orders=%d spans=%llu encoded_bytes=%llu\n", orders,
              static_cast<unsigned long long>(spans), static_cast<unsigned long long>(bytes));
  return spans == static_cast<std::uint64_t>(orders) * kSpansPerOrder ? 0 : 1;
}
