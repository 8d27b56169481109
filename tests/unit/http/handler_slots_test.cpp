#include "http/handler_slots.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "server_fixture.hpp"

namespace hotorder::http::test {
namespace {

TEST(HandlerSlots, TakesFreeSlotsAtOnceAndGivesThemBack) {
  HandlerSlots slots(2, 0);
  {
    const HandlerSlot a(slots);
    const HandlerSlot b(slots);
    EXPECT_TRUE(a.held());
    EXPECT_TRUE(b.held());
    const HandlerSlot c(slots);  // no slot free and nobody may wait
    EXPECT_FALSE(c.held());
  }
  const HandlerSlot again(slots);
  EXPECT_TRUE(again.held());
}

TEST(HandlerSlots, OneMayWaitForABusySlotAndASecondIsRefused) {
  HandlerSlots slots(1, 1);
  ASSERT_TRUE(slots.Acquire());
  Counter waiting_done;
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    got = slots.Acquire();
    waiting_done.Increment();
  });
  ASSERT_TRUE(Eventually([&] { return slots.Waiting() == 1; }));
  EXPECT_FALSE(slots.Acquire());  // the waiting room is full: refused at once
  EXPECT_FALSE(waiting_done.WaitFor(1, std::chrono::milliseconds(50)));
  slots.Release();
  EXPECT_TRUE(waiting_done.WaitFor(1));
  waiter.join();
  EXPECT_TRUE(got);
  slots.Release();
}

TEST(HandlerSlots, StopEndsWaitsAndRefusesNewcomers) {
  HandlerSlots slots(1, 4);
  ASSERT_TRUE(slots.Acquire());
  std::atomic<bool> got{true};
  std::thread waiter([&] { got = slots.Acquire(); });
  ASSERT_TRUE(Eventually([&] { return slots.Waiting() == 1; }));
  slots.Stop();
  waiter.join();
  EXPECT_FALSE(got);
  EXPECT_FALSE(slots.Acquire());
  slots.Release();  // the running handler still gives its slot back
}

}  // namespace
}  // namespace hotorder::http::test
