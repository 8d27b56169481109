#pragma once
// api-gateway assembled: one client per upstream service, and the routes.

#include "http/client.hpp"
#include "service/service_main.hpp"

namespace hotorder::gateway {

class GatewayApp final : public service::App {
 public:
  explicit GatewayApp(service::Runtime& runtime);

  http::Router Routes() override;
  bool Ready() override { return orders_.Reachable() && inventory_.Reachable(); }

 private:
  http::HttpClient orders_;
  http::HttpClient inventory_;
};

}  // namespace hotorder::gateway
