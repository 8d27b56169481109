#pragma once
// Where a service finds the services it calls, from the environment:
// <url_variable> (e.g. INVENTORY_SERVICE_URL), UPSTREAM_CONNECT_TIMEOUT_MS (1000),
// UPSTREAM_TIMEOUT_MS (5000).

#include <string_view>

#include "config/env.hpp"
#include "http/client.hpp"

namespace hotorder::service {

http::UpstreamOptions UpstreamOptionsFromEnv(const config::EnvReader& env, std::string_view name,
                                             std::string_view url_variable,
                                             std::string_view default_url);

}  // namespace hotorder::service
