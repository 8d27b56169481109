#include <gtest/gtest.h>

#include "db/pg_pool.hpp"

namespace hotorder::db {
namespace {

using namespace std::chrono_literals;

TEST(PoolOptionsFromEnv, DefaultsWhenNothingIsSet) {
  config::EnvReader env(config::FixedEnv({}));
  const PoolOptions options = PoolOptionsFromEnv(env);
  EXPECT_EQ(options.url, "postgresql://hotorder@127.0.0.1:55432/hotorder");
  EXPECT_EQ(options.size, 8u);
  EXPECT_EQ(options.acquire_timeout, 2000ms);
  EXPECT_EQ(options.connect_timeout, 2000ms);
  EXPECT_EQ(options.statement_timeout, 2000ms);
  EXPECT_TRUE(env.Warnings().empty());
}

TEST(PoolOptionsFromEnv, ReadsEveryVariable) {
  config::EnvReader env(config::FixedEnv({
      {"DATABASE_URL", "postgresql://svc@db:5432/orders"},
      {"DB_POOL_SIZE", "3"},
      {"DB_ACQUIRE_TIMEOUT_MS", "150"},
      {"DB_CONNECT_TIMEOUT_MS", "5000"},
      {"DB_STATEMENT_TIMEOUT_MS", "0"},
  }));
  const PoolOptions options = PoolOptionsFromEnv(env);
  EXPECT_EQ(options.url, "postgresql://svc@db:5432/orders");
  EXPECT_EQ(options.size, 3u);
  EXPECT_EQ(options.acquire_timeout, 150ms);
  EXPECT_EQ(options.connect_timeout, 5000ms);
  EXPECT_EQ(options.statement_timeout, 0ms);
  EXPECT_TRUE(env.Warnings().empty());
}

TEST(PoolOptionsFromEnv, BadValuesWarnAndKeepTheDefaults) {
  config::EnvReader env(config::FixedEnv({
      {"DB_POOL_SIZE", "0"},
      {"DB_ACQUIRE_TIMEOUT_MS", "soon"},
      {"DB_STATEMENT_TIMEOUT_MS", "-5"},
  }));
  const PoolOptions options = PoolOptionsFromEnv(env);
  EXPECT_EQ(options.size, 8u);
  EXPECT_EQ(options.acquire_timeout, 2000ms);
  EXPECT_EQ(options.statement_timeout, 2000ms);
  EXPECT_EQ(env.Warnings().size(), 3u);
}

}  // namespace
}  // namespace hotorder::db
