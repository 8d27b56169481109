#include "http/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "server_fixture.hpp"

namespace hotorder::http::test {
namespace {

TEST(WorkerPool, RunsTasksOnItsThreads) {
  Counter done;
  WorkerPool pool(2, 4);  // declared last: stopped before what its tasks touch is destroyed
  const auto caller = std::this_thread::get_id();
  std::atomic<bool> ran_elsewhere{true};
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(pool.TryPost([&] {
      if (std::this_thread::get_id() == caller) ran_elsewhere = false;
      done.Increment();
    }));
  }
  EXPECT_TRUE(done.WaitFor(3));
  EXPECT_TRUE(ran_elsewhere);
}

TEST(WorkerPool, RefusesTasksBeyondTheQueueWhenWorkersAreBusy) {
  Gate gate;
  Counter started;
  Counter finished;
  WorkerPool pool(1, 1);
  ASSERT_TRUE(pool.TryPost([&] {
    started.Increment();
    gate.Wait();
    finished.Increment();
  }));
  ASSERT_TRUE(started.WaitFor(1));                                   // the worker is busy
  ASSERT_TRUE(pool.TryPost([&] { finished.Increment(); }));          // one may wait
  EXPECT_FALSE(pool.TryPost([&] { finished.Increment(); }));         // a second may not
  gate.Open();
  EXPECT_TRUE(finished.WaitFor(2));
}

TEST(WorkerPool, IdleWorkerTakesATaskEvenWithNoQueue) {
  Counter done;
  WorkerPool pool(1, 0);
  ASSERT_TRUE(pool.TryPost([&] { done.Increment(); }));
  EXPECT_TRUE(done.WaitFor(1));
}

TEST(WorkerPool, StopDropsQueuedTasksAndWaitsForRunningOnes) {
  Gate gate;
  Counter started;
  std::atomic<bool> running_finished{false};
  WorkerPool pool(1, 4);
  auto queued_state = std::make_shared<int>(0);
  std::weak_ptr<int> queued_alive = queued_state;
  ASSERT_TRUE(pool.TryPost([&] {
    started.Increment();
    gate.Wait();
    running_finished = true;
  }));
  ASSERT_TRUE(started.WaitFor(1));
  std::atomic<bool> queued_ran{false};
  ASSERT_TRUE(pool.TryPost([&queued_ran, state = std::move(queued_state)] { queued_ran = true; }));

  std::thread opener([&] {
    // Stop() below must still be waiting for the running task when the gate opens.
    EXPECT_TRUE(Eventually([&] { return queued_alive.expired(); }));  // dropped first
    gate.Open();
  });
  pool.Stop();
  opener.join();
  EXPECT_TRUE(running_finished);
  EXPECT_FALSE(queued_ran);
  EXPECT_FALSE(pool.TryPost([] {}));
}

TEST(WorkerPool, SwallowsWhatATaskThrows) {
  Counter done;
  WorkerPool pool(1, 2);
  ASSERT_TRUE(pool.TryPost([] { throw std::runtime_error("bug"); }));
  ASSERT_TRUE(pool.TryPost([&] { done.Increment(); }));
  EXPECT_TRUE(done.WaitFor(1));
}

}  // namespace
}  // namespace hotorder::http::test
