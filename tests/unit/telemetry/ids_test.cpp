#include "telemetry/ids.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>
#include <vector>

namespace hotorder::telemetry {
namespace {

TEST(Ids, HexRoundTripIsLowercase) {
  auto id = TraceId::FromHex("4bf92f3577b34da6a3ce929d0e0e4736");
  ASSERT_TRUE(id.has_value());
  EXPECT_TRUE(id->IsValid());
  EXPECT_EQ(id->ToHex(), "4bf92f3577b34da6a3ce929d0e0e4736");
}

TEST(Ids, RejectsWrongLengthAndNonHex) {
  EXPECT_FALSE(SpanId::FromHex("00f067aa0ba902b").has_value());
  EXPECT_FALSE(SpanId::FromHex("00f067aa0ba902b77").has_value());
  EXPECT_FALSE(SpanId::FromHex("00f067aa0ba902bg").has_value());
}

TEST(Ids, UppercaseOnlyWhenAllowed) {
  EXPECT_FALSE(SpanId::FromHex("00F067AA0BA902B7").has_value());
  auto id = SpanId::FromHex("00F067AA0BA902B7", /*lowercase_only=*/false);
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->ToHex(), "00f067aa0ba902b7");
}

TEST(Ids, AllZeroIsInvalid) {
  auto id = TraceId::FromHex("00000000000000000000000000000000");
  ASSERT_TRUE(id.has_value());
  EXPECT_FALSE(id->IsValid());
  EXPECT_FALSE(SpanId().IsValid());
}

TEST(RandomIdGenerator, ProducesValidDistinctIdsAcrossThreads) {
  RandomIdGenerator generator;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 20000;
  std::vector<std::vector<std::string>> results(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto trace = generator.NewTraceId();
        auto span = generator.NewSpanId();
        ASSERT_TRUE(trace.IsValid());
        ASSERT_TRUE(span.IsValid());
        results[t].push_back(trace.ToHex());
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::set<std::string> unique;
  for (auto& list : results) unique.insert(list.begin(), list.end());
  EXPECT_EQ(unique.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

}  // namespace
}  // namespace hotorder::telemetry
