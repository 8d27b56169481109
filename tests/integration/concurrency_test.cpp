// Many parallel orders for one SKU with little stock: exactly as many succeed as there are
// units, stock never goes negative or oversold, and every 201 names a stored order.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "integration_env.hpp"

namespace hotorder::test {
namespace {

using nlohmann::json;

TEST(Concurrency, ParallelOrdersNeverOversell) {
  auto& env = IntegrationEnv::Get();
  constexpr int kUnits = 12;
  constexpr int kThreads = 8;
  constexpr int kOrdersPerThread = 6;  // 48 orders of one unit for 12 units
  SetStock("SKU-200", kUnits);

  std::mutex mutex;
  std::vector<std::string> accepted_ids;
  std::atomic<int> refused{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kOrdersPerThread; ++i) {
        auto response = PostOrder(OrderBody("SKU-200", 1));
        if (response.status == 201) {
          std::lock_guard lock(mutex);
          accepted_ids.push_back(json::parse(response.body)["order_id"].get<std::string>());
        } else if (response.status == 409 && ErrorCode(response.body) == "insufficient_stock") {
          ++refused;
        } else {
          ++other;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();

  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(static_cast<int>(accepted_ids.size()), kUnits);
  EXPECT_EQ(refused.load(), kThreads * kOrdersPerThread - kUnits);
  EXPECT_EQ(env.postgres.QueryValue("SELECT reserved FROM stock WHERE sku = 'SKU-200'"),
            std::to_string(kUnits));
  EXPECT_EQ(env.postgres.QueryValue("SELECT quantity - reserved FROM stock WHERE sku = 'SKU-200'"),
            "0");
  for (const auto& id : accepted_ids) {
    EXPECT_EQ(env.postgres.QueryValue("SELECT count(*) FROM orders WHERE id = '" + id + "'"), "1")
        << id;
  }
  // Reservations and stock agree: what the stock says is reserved is what reservations hold.
  EXPECT_EQ(env.postgres.QueryValue(
                "SELECT coalesce(sum(line.qty), 0) FROM reservations, "
                "unnest(skus, quantities) AS line(sku, qty) WHERE line.sku = 'SKU-200'"),
            std::to_string(kUnits));
}

}  // namespace
}  // namespace hotorder::test
