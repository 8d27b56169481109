#include "db/pg_pool.hpp"

namespace hotorder::db {
namespace {

// More connections than this would only queue inside Postgres (max_connections is 100 there).
constexpr std::int64_t kMaxPoolSize = 256;

}  // namespace

PoolOptions PoolOptionsFromEnv(const config::EnvReader& env) {
  PoolOptions options;
  options.url = env.String("DATABASE_URL", options.url);
  options.size = static_cast<std::size_t>(
      env.Int("DB_POOL_SIZE", static_cast<std::int64_t>(options.size), 1, kMaxPoolSize));
  options.acquire_timeout = env.Millis("DB_ACQUIRE_TIMEOUT_MS", options.acquire_timeout);
  options.connect_timeout = env.Millis("DB_CONNECT_TIMEOUT_MS", options.connect_timeout);
  options.statement_timeout = env.Millis("DB_STATEMENT_TIMEOUT_MS", options.statement_timeout);
  return options;
}

}  // namespace hotorder::db
