#include "telemetry/otlp/retry_policy.hpp"

#include <gtest/gtest.h>

namespace hotorder::telemetry::otlp {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using std::chrono::system_clock;

// 2024-03-01 12:00:00 UTC.
system_clock::time_point Now() {
  using namespace std::chrono;
  return sys_days(year(2024) / March / 1) + hours(12);
}

TEST(RetryPolicy, RetryableStatusCodesFollowOtlpHttp) {
  for (unsigned status : {200u, 202u, 204u}) {
    EXPECT_EQ(ClassifyHttpStatus(status), AttemptOutcome::kSuccess) << status;
  }
  for (unsigned status : {429u, 502u, 503u, 504u}) {
    EXPECT_EQ(ClassifyHttpStatus(status), AttemptOutcome::kRetryable) << status;
  }
  // Every other 4xx/5xx MUST NOT be retried, 400 and 408 included; redirects are not followed.
  for (unsigned status : {400u, 401u, 403u, 404u, 408u, 413u, 500u, 501u, 505u, 301u, 100u}) {
    EXPECT_EQ(ClassifyHttpStatus(status), AttemptOutcome::kPermanent) << status;
  }
}

TEST(RetryPolicy, BackoffGrowsExponentiallyUpToTheCap) {
  RetryPolicy policy;  // 1 s, x1.5, max 5 s, jitter 0.2
  // uniform01 = 0.5 means no jitter at all.
  EXPECT_EQ(BackoffDelay(policy, 1, 0.5), milliseconds(1000));
  EXPECT_EQ(BackoffDelay(policy, 2, 0.5), milliseconds(1500));
  EXPECT_EQ(BackoffDelay(policy, 3, 0.5), milliseconds(2250));
  EXPECT_EQ(BackoffDelay(policy, 4, 0.5), milliseconds(3375));
  EXPECT_EQ(BackoffDelay(policy, 5, 0.5), milliseconds(5000));
  EXPECT_EQ(BackoffDelay(policy, 50, 0.5), milliseconds(5000));
}

TEST(RetryPolicy, JitterStaysWithinItsBounds) {
  RetryPolicy policy;
  EXPECT_EQ(BackoffDelay(policy, 1, 0.0), milliseconds(800));
  EXPECT_EQ(BackoffDelay(policy, 1, 0.25), milliseconds(900));
  EXPECT_EQ(BackoffDelay(policy, 1, 0.999999), milliseconds(1200));
  EXPECT_EQ(BackoffDelay(policy, 3, 0.0), milliseconds(1800));
  EXPECT_EQ(BackoffDelay(policy, 9, 0.0), milliseconds(4000));
  for (double u = 0.0; u < 1.0; u += 0.01) {
    auto d = BackoffDelay(policy, 2, u);
    EXPECT_GE(d, milliseconds(1200));
    EXPECT_LE(d, milliseconds(1800));
  }
  policy.jitter = 0.0;
  EXPECT_EQ(BackoffDelay(policy, 2, 0.0), milliseconds(1500));
  EXPECT_EQ(BackoffDelay(policy, 2, 0.99), milliseconds(1500));
}

TEST(RetryPolicy, GivesUpAfterMaxAttempts) {
  RetryPolicy policy;
  for (int attempts = 1; attempts < 5; ++attempts) {
    EXPECT_TRUE(NextRetryDelay(policy, attempts, std::nullopt, seconds(100), 0.5)) << attempts;
  }
  EXPECT_FALSE(NextRetryDelay(policy, 5, std::nullopt, seconds(100), 0.5));
  policy.max_attempts = 1;
  EXPECT_FALSE(NextRetryDelay(policy, 1, std::nullopt, seconds(100), 0.5));
}

TEST(RetryPolicy, NeverWaitsBeyondTheDeadline) {
  RetryPolicy policy;
  EXPECT_EQ(NextRetryDelay(policy, 1, std::nullopt, milliseconds(1001), 0.5), milliseconds(1000));
  EXPECT_FALSE(NextRetryDelay(policy, 1, std::nullopt, milliseconds(1000), 0.5));
  EXPECT_FALSE(NextRetryDelay(policy, 1, std::nullopt, milliseconds(0), 0.5));
  // A Retry-After longer than the time left is not cut short: the export gives up instead.
  EXPECT_FALSE(NextRetryDelay(policy, 1, seconds(3), seconds(2), 0.5));
}

TEST(RetryPolicy, RetryAfterReplacesBackoffAndIsCapped) {
  RetryPolicy policy;
  EXPECT_EQ(NextRetryDelay(policy, 1, seconds(3), seconds(100), 0.0), milliseconds(3000));
  EXPECT_EQ(NextRetryDelay(policy, 4, milliseconds(0), seconds(100), 0.0), milliseconds(0));
  EXPECT_EQ(NextRetryDelay(policy, 1, seconds(3600), seconds(100), 0.0), seconds(30));
  policy.max_retry_after = seconds(2);
  EXPECT_EQ(NextRetryDelay(policy, 1, seconds(10), seconds(100), 0.0), seconds(2));
}

TEST(RetryAfter, ParsesDeltaSeconds) {
  EXPECT_EQ(ParseRetryAfter("1", Now()), seconds(1));
  EXPECT_EQ(ParseRetryAfter(" 120 ", Now()), seconds(120));
  EXPECT_EQ(ParseRetryAfter("0", Now()), seconds(0));
  // Absurdly large values saturate instead of overflowing.
  auto huge = ParseRetryAfter("99999999999999999999999", Now());
  ASSERT_TRUE(huge);
  EXPECT_GT(*huge, seconds(1) * 1000000000);
}

TEST(RetryAfter, ParsesAllThreeHttpDateFormats) {
  // RFC 9110 5.6.7: IMF-fixdate, and the obsolete RFC 850 and asctime forms.
  EXPECT_EQ(ParseRetryAfter("Fri, 01 Mar 2024 12:00:05 GMT", Now()), seconds(5));
  EXPECT_EQ(ParseRetryAfter("Friday, 01-Mar-24 12:01:00 GMT", Now()), seconds(60));
  EXPECT_EQ(ParseRetryAfter("Fri Mar  1 12:00:30 2024", Now()), seconds(30));
  EXPECT_EQ(ParseRetryAfter("Sat Mar 02 12:00:00 2024", Now()), std::chrono::hours(24));
  // Leap-year day and month boundaries go through the calendar, not a table of our own.
  EXPECT_EQ(ParseRetryAfter("Thu, 29 Feb 2024 12:00:00 GMT", Now()), seconds(0));
}

TEST(RetryAfter, DateInThePastMeansNow) {
  EXPECT_EQ(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", Now()), milliseconds(0));
}

TEST(RetryAfter, SubSecondRemainderRoundsUp) {
  auto now = Now() + milliseconds(250);
  EXPECT_EQ(ParseRetryAfter("Fri, 01 Mar 2024 12:00:01 GMT", now), milliseconds(750));
}

TEST(RetryAfter, RejectsMalformedValues) {
  for (const char* bad : {"", "  ", "-1", "1.5", "soon", "Fri, 31 Feb 2024 12:00:00 GMT",
                          "Fri, 01 Mar 2024 25:00:00 GMT", "Fri, 01 Mar 2024 12:00:00 UTC",
                          "Fri, 1 Mar 2024 12:00:00 GMT", "Fri, 01 Foo 2024 12:00:00 GMT",
                          "Fri, 01 Mar 2024 12:00:00 GMT trailing"}) {
    EXPECT_FALSE(ParseRetryAfter(bad, Now())) << bad;
  }
}

}  // namespace
}  // namespace hotorder::telemetry::otlp
