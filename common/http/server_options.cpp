#include <boost/asio/ip/address.hpp>

#include "http/server.hpp"

namespace hotorder::http {
namespace {

// Millis accepts 0, but a zero timeout would fail every request at once: treat it as invalid.
std::chrono::milliseconds PositiveMillis(const config::EnvReader& env, std::string_view name,
                                         std::chrono::milliseconds fallback) {
  const auto value = env.Millis(name, fallback);
  if (value.count() > 0) return value;
  env.Warn(std::string(name) + "=\"0\" must be greater than 0; using " +
           std::to_string(fallback.count()));
  return fallback;
}

}  // namespace

ServerOptions ServerOptionsFromEnv(const config::EnvReader& env, std::uint16_t default_port) {
  ServerOptions options;
  const ServerOptions defaults;

  options.listen_address = env.String("LISTEN_ADDR", defaults.listen_address);
  boost::system::error_code ec;
  boost::asio::ip::make_address(options.listen_address, ec);
  if (ec) {
    env.Warn("LISTEN_ADDR=\"" + options.listen_address + "\" is not an IP address; using " +
             defaults.listen_address);
    options.listen_address = defaults.listen_address;
  }

  options.port = static_cast<std::uint16_t>(env.Int("PORT", default_port, 0, 65535));
  options.max_handlers =
      static_cast<int>(env.Int("HTTP_MAX_HANDLERS", defaults.max_handlers, 1, 4096));
  options.max_connections = static_cast<std::size_t>(env.Int(
      "HTTP_MAX_CONNECTIONS", static_cast<std::int64_t>(defaults.max_connections), 1, 1'000'000));
  options.read_timeout = PositiveMillis(env, "HTTP_READ_TIMEOUT_MS", defaults.read_timeout);
  options.write_timeout = PositiveMillis(env, "HTTP_WRITE_TIMEOUT_MS", defaults.write_timeout);
  options.idle_timeout = PositiveMillis(env, "HTTP_IDLE_TIMEOUT_MS", defaults.idle_timeout);
  // 0 is meaningful here: do not wait for in-flight requests.
  options.shutdown_grace = env.Millis("SHUTDOWN_GRACE_MS", defaults.shutdown_grace);
  return options;
}

}  // namespace hotorder::http
