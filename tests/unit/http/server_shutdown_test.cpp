// Graceful shutdown: stop accepting, close idle connections, let in-flight requests finish, then
// return from Run(); by Shutdown() or by SIGINT/SIGTERM.

#include <csignal>

#include "server_fixture.hpp"
#include "support/http_get.hpp"

namespace hotorder::http::test {
namespace {

using hotorder::test::HttpGet;

class ServerShutdownTest : public ServerFixture {
 protected:
  Router SlowRouter() {
    Router router;
    router.Add("GET", "/slow", [this](RequestContext&) {
      entered_.Increment();
      gate_.Wait();
      return Response::Json(200, "\"finished\"");
    });
    router.Add("GET", "/ping", [](RequestContext&) { return Response::Json(200, "\"pong\""); });
    return router;
  }

  Gate gate_;
  Counter entered_;
};

TEST_F(ServerShutdownTest, InFlightRequestFinishesAndRunReturnsAfterIt) {
  StartServer(SlowRouter());
  RawClient idle(port());
  ASSERT_TRUE(idle.Send(Get("/ping")));
  ASSERT_TRUE(idle.Read().has_value());  // now an idle kept-alive connection

  hotorder::test::HttpResponse slow_response;
  std::thread in_flight([&] { slow_response = HttpGet(Url("/slow"), {}, 10s); });
  ASSERT_TRUE(entered_.WaitFor(1));

  server_->Shutdown();
  EXPECT_TRUE(idle.ClosedByServer());  // idle connections close at once
  // No new connections are taken while the in-flight request is still running.
  EXPECT_TRUE(Eventually([&] { return !HttpGet(Url("/ping"), {}, 1s).ok(); }));
  EXPECT_FALSE(RunReturned());

  gate_.Open();
  in_flight.join();
  ASSERT_TRUE(slow_response.ok()) << slow_response.error;
  EXPECT_EQ(slow_response.status, 200);
  EXPECT_EQ(slow_response.body, "\"finished\"");
  EXPECT_TRUE(WaitForRunToReturn(5s));
  EXPECT_EQ(SpansNamed("GET /slow").size(), 1u);
}

TEST_F(ServerShutdownTest, KeptAliveConnectionIsClosedAfterItsInFlightResponse) {
  StartServer(SlowRouter());
  RawClient client(port());
  ASSERT_TRUE(client.Send(Get("/slow")));
  ASSERT_TRUE(entered_.WaitFor(1));
  server_->Shutdown();
  gate_.Open();
  const auto response = client.Read();
  ASSERT_TRUE(response.has_value()) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_FALSE(response->keep_alive());  // Connection: close while draining
  EXPECT_TRUE(client.ClosedByServer());
  EXPECT_TRUE(WaitForRunToReturn(5s));
}

TEST_F(ServerShutdownTest, GraceBoundsTheWaitForConnections) {
  StartServer(SlowRouter(), {.shutdown_grace = 200ms});
  RawClient client(port());
  ASSERT_TRUE(client.Send(Get("/slow")));
  ASSERT_TRUE(entered_.WaitFor(1));
  server_->Shutdown();
  // After the grace the connection is closed without an answer, though the handler still runs.
  EXPECT_FALSE(client.Read().has_value());
  EXPECT_FALSE(gate_.IsOpen());
  // Run() waits for the running handler (a thread cannot be interrupted), then returns.
  gate_.Open();
  EXPECT_TRUE(WaitForRunToReturn(5s));
}

TEST_F(ServerShutdownTest, ShutdownWithoutTrafficReturnsPromptly) {
  StartServer(SlowRouter());
  ASSERT_EQ(HttpGet(Url("/ping")).status, 200);
  server_->Shutdown();
  EXPECT_TRUE(WaitForRunToReturn(5s));
}

TEST_F(ServerShutdownTest, SigtermStartsTheGracefulShutdown) {
  StartServer(SlowRouter(), {}, {}, /*handle_signals=*/true);
  // The signal handler is installed before the "listening" line is written.
  ASSERT_TRUE(Eventually([&] { return !sink_->LinesContaining("http server listening").empty(); }));
  ASSERT_EQ(std::raise(SIGTERM), 0);
  EXPECT_TRUE(WaitForRunToReturn(5s));
}

TEST(ServerShutdownDeathTest, SecondSignalDuringDrainExitsWithStatus1) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        struct Fixture : ServerShutdownTest {
          void TestBody() override {}
          void Go() {
            StartServer(SlowRouter(), {}, {}, /*handle_signals=*/true);
            Eventually([&] { return !sink_->LinesContaining("http server listening").empty(); });
            RawClient client(port());
            client.Send(Get("/slow"));
            entered_.WaitFor(1);  // an in-flight request keeps the drain going
            std::raise(SIGTERM);
            Eventually([&] { return !sink_->LinesContaining("draining").empty(); });
            std::raise(SIGTERM);
            Eventually([] { return false; }, 5s);  // _Exit(1) happens meanwhile
            std::exit(0);
          }
        } fixture;
        fixture.Go();
      },
      ::testing::ExitedWithCode(1), "");
}

}  // namespace
}  // namespace hotorder::http::test
