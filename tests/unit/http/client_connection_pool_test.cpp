#include "http/connection_pool.hpp"

#include <gtest/gtest.h>

#include <boost/asio/ip/tcp.hpp>

namespace hotorder::http::detail {
namespace {

using Clock = ConnectionPool::Clock;
using std::chrono::seconds;

// An open (unconnected) socket is all the pool looks at.
std::unique_ptr<Connection> OpenStream() {
  auto connection = std::make_unique<Connection>();
  connection->stream.socket().open(boost::asio::ip::tcp::v4());
  return connection;
}

TEST(ConnectionPool, GivesBackTheMostRecentlyReturnedFirst) {
  ConnectionPool pool(4);
  auto now = Clock::now();
  auto first = OpenStream();
  auto second = OpenStream();
  auto* second_raw = second.get();
  pool.Put(std::move(first), now);
  pool.Put(std::move(second), now + seconds(1));
  EXPECT_EQ(pool.Take(now + seconds(2)).get(), second_raw);
  EXPECT_EQ(pool.size(), 1u);
}

TEST(ConnectionPool, KeepsAtMostMaxIdleAndClosesTheOldest) {
  ConnectionPool pool(2);
  auto now = Clock::now();
  auto oldest = OpenStream();
  auto* oldest_raw = oldest.get();
  pool.Put(std::move(oldest), now);
  pool.Put(OpenStream(), now);
  pool.Put(OpenStream(), now);
  EXPECT_EQ(pool.size(), 2u);
  auto a = pool.Take(now);
  auto b = pool.Take(now);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_NE(a.get(), oldest_raw);
  EXPECT_NE(b.get(), oldest_raw);
  EXPECT_EQ(pool.Take(now), nullptr);
}

TEST(ConnectionPool, DiscardsConnectionsIdleTooLong) {
  ConnectionPool pool(4, seconds(30));
  auto now = Clock::now();
  pool.Put(OpenStream(), now);
  pool.Put(OpenStream(), now + seconds(20));
  auto taken = pool.Take(now + seconds(31));  // the first is too old by now
  EXPECT_NE(taken, nullptr);
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(pool.Take(now + seconds(31)), nullptr);
}

TEST(ConnectionPool, ZeroMaxIdleKeepsNothingAndClosedOnesAreNotKept) {
  auto now = Clock::now();
  ConnectionPool none(0);
  none.Put(OpenStream(), now);
  EXPECT_EQ(none.size(), 0u);

  ConnectionPool pool(4);
  auto closed = OpenStream();
  CloseStream(closed->stream);
  pool.Put(std::move(closed), now);
  EXPECT_EQ(pool.size(), 0u);
}

}  // namespace
}  // namespace hotorder::http::detail
