#include "service/upstream_options.hpp"

#include <string>

namespace hotorder::service {

http::UpstreamOptions UpstreamOptionsFromEnv(const config::EnvReader& env, std::string_view name,
                                             std::string_view url_variable,
                                             std::string_view default_url) {
  http::UpstreamOptions options;
  options.name = std::string(name);
  options.base_url = env.String(url_variable, default_url);
  while (!options.base_url.empty() && options.base_url.back() == '/') options.base_url.pop_back();
  options.connect_timeout = env.Millis("UPSTREAM_CONNECT_TIMEOUT_MS", options.connect_timeout);
  options.total_timeout = env.Millis("UPSTREAM_TIMEOUT_MS", options.total_timeout);
  return options;
}

}  // namespace hotorder::service
