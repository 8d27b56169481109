#include <gtest/gtest.h>

#include "http/server.hpp"

namespace hotorder::http {
namespace {

using namespace std::chrono_literals;

TEST(ServerOptionsFromEnv, DefaultsWhenNothingIsSet) {
  config::EnvReader env(config::FixedEnv({}));
  const ServerOptions options = ServerOptionsFromEnv(env, 8081);
  const ServerOptions defaults;
  EXPECT_EQ(options.listen_address, "127.0.0.1");
  EXPECT_EQ(options.port, 8081);
  EXPECT_EQ(options.max_handlers, defaults.max_handlers);
  EXPECT_EQ(options.max_connections, defaults.max_connections);
  EXPECT_EQ(options.read_timeout, defaults.read_timeout);
  EXPECT_EQ(options.shutdown_grace, defaults.shutdown_grace);
  EXPECT_TRUE(env.Warnings().empty());
}

TEST(ServerOptionsFromEnv, ReadsEveryVariable) {
  config::EnvReader env(config::FixedEnv({{"LISTEN_ADDR", "0.0.0.0"},
                                          {"PORT", "9000"},
                                          {"HTTP_MAX_HANDLERS", "8"},
                                          {"HTTP_MAX_CONNECTIONS", "100"},
                                          {"HTTP_READ_TIMEOUT_MS", "1500"},
                                          {"HTTP_WRITE_TIMEOUT_MS", "2500"},
                                          {"HTTP_IDLE_TIMEOUT_MS", "30000"},
                                          {"SHUTDOWN_GRACE_MS", "0"}}));
  const ServerOptions options = ServerOptionsFromEnv(env, 8081);
  EXPECT_EQ(options.listen_address, "0.0.0.0");
  EXPECT_EQ(options.port, 9000);
  EXPECT_EQ(options.max_handlers, 8);
  EXPECT_EQ(options.max_connections, 100u);
  EXPECT_EQ(options.read_timeout, 1500ms);
  EXPECT_EQ(options.write_timeout, 2500ms);
  EXPECT_EQ(options.idle_timeout, 30000ms);
  EXPECT_EQ(options.shutdown_grace, 0ms);
  EXPECT_TRUE(env.Warnings().empty());
}

TEST(ServerOptionsFromEnv, InvalidValuesWarnAndFallBack) {
  config::EnvReader env(config::FixedEnv({{"LISTEN_ADDR", "not-an-ip"},
                                          {"PORT", "70000"},
                                          {"HTTP_MAX_HANDLERS", "0"},
                                          {"HTTP_READ_TIMEOUT_MS", "0"},
                                          {"HTTP_IDLE_TIMEOUT_MS", "-5"}}));
  const ServerOptions options = ServerOptionsFromEnv(env, 8082);
  const ServerOptions defaults;
  EXPECT_EQ(options.listen_address, "127.0.0.1");
  EXPECT_EQ(options.port, 8082);
  EXPECT_EQ(options.max_handlers, defaults.max_handlers);
  EXPECT_EQ(options.read_timeout, defaults.read_timeout);
  EXPECT_EQ(options.idle_timeout, defaults.idle_timeout);
  EXPECT_EQ(env.Warnings().size(), 5u);
}

}  // namespace
}  // namespace hotorder::http
