#include "telemetry/otlp/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace hotorder::telemetry::otlp {
namespace {

using std::chrono::milliseconds;

// Beyond this many seconds a Retry-After is "forever" for our purposes (and it is capped later).
constexpr std::int64_t kMaxDeltaSeconds = std::int64_t{1} << 31;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A cursor over an HTTP-date; every Expect* consumes on success only.
class DateCursor {
 public:
  explicit DateCursor(std::string_view s) : s_(s) {}

  bool Done() const { return pos_ == s_.size(); }
  bool Literal(std::string_view lit) {
    if (s_.substr(pos_, lit.size()) != lit) return false;
    pos_ += lit.size();
    return true;
  }
  // Exactly `n` digits.
  bool Digits(int n, int& value) {
    if (s_.size() - pos_ < static_cast<std::size_t>(n)) return false;
    int v = 0;
    for (int i = 0; i < n; ++i) {
      char c = s_[pos_ + static_cast<std::size_t>(i)];
      if (!IsDigit(c)) return false;
      v = v * 10 + (c - '0');
    }
    value = v;
    pos_ += static_cast<std::size_t>(n);
    return true;
  }
  // One of `names`; its index through `index`.
  template <std::size_t N>
  bool OneOf(const std::array<std::string_view, N>& names, int& index) {
    for (std::size_t i = 0; i < N; ++i) {
      if (Literal(names[i])) {
        index = static_cast<int>(i);
        return true;
      }
    }
    return false;
  }
  // time-of-day = hour ":" minute ":" second (RFC 9110 5.6.7).
  bool TimeOfDay(int& h, int& m, int& s) {
    return Digits(2, h) && Literal(":") && Digits(2, m) && Literal(":") && Digits(2, s);
  }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

constexpr std::array<std::string_view, 7> kDayNames = {"Mon", "Tue", "Wed", "Thu",
                                                       "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 7> kLongDayNames = {
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::array<std::string_view, 12> kMonthNames = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

struct DateParts {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
bool ParseImfFixdate(std::string_view s, DateParts& d) {
  DateCursor c(s);
  int ignored = 0;
  return c.OneOf(kDayNames, ignored) && c.Literal(", ") && c.Digits(2, d.day) && c.Literal(" ") &&
         c.OneOf(kMonthNames, d.month) && c.Literal(" ") && c.Digits(4, d.year) &&
         c.Literal(" ") && c.TimeOfDay(d.hour, d.minute, d.second) && c.Literal(" GMT") &&
         c.Done();
}

// Obsolete RFC 850 form: "Sunday, 06-Nov-94 08:49:37 GMT" (two-digit year).
bool ParseRfc850(std::string_view s, DateParts& d, int current_year) {
  DateCursor c(s);
  int ignored = 0;
  int yy = 0;
  if (!(c.OneOf(kLongDayNames, ignored) && c.Literal(", ") && c.Digits(2, d.day) &&
        c.Literal("-") && c.OneOf(kMonthNames, d.month) && c.Literal("-") && c.Digits(2, yy) &&
        c.Literal(" ") && c.TimeOfDay(d.hour, d.minute, d.second) && c.Literal(" GMT") &&
        c.Done())) {
    return false;
  }
  // RFC 9110 5.6.7: a two-digit year that looks more than 50 years in the future is the most
  // recent past year with those last two digits.
  int year = current_year - current_year % 100 + yy;
  if (year > current_year + 50) year -= 100;
  d.year = year;
  return true;
}

// Obsolete asctime form: "Sun Nov  6 08:49:37 1994" (day padded with a space).
bool ParseAsctime(std::string_view s, DateParts& d) {
  DateCursor c(s);
  int ignored = 0;
  if (!(c.OneOf(kDayNames, ignored) && c.Literal(" ") && c.OneOf(kMonthNames, d.month) &&
        c.Literal(" "))) {
    return false;
  }
  if (c.Literal(" ")) {
    if (!c.Digits(1, d.day)) return false;
  } else if (!c.Digits(2, d.day)) {
    return false;
  }
  return c.Literal(" ") && c.TimeOfDay(d.hour, d.minute, d.second) && c.Literal(" ") &&
         c.Digits(4, d.year) && c.Done();
}

std::optional<std::chrono::system_clock::time_point> ToTimePoint(const DateParts& d) {
  using namespace std::chrono;
  year_month_day ymd{year{d.year}, month{static_cast<unsigned>(d.month + 1)},
                     day{static_cast<unsigned>(d.day)}};
  // 60 admits a leap second, which RFC 9110's grammar allows.
  if (!ymd.ok() || d.hour > 23 || d.minute > 59 || d.second > 60) return std::nullopt;
  return system_clock::time_point(sys_days(ymd).time_since_epoch() + hours(d.hour) +
                                  minutes(d.minute) + seconds(d.second));
}

}  // namespace

AttemptOutcome ClassifyHttpStatus(unsigned status) noexcept {
  if (status >= 200 && status < 300) return AttemptOutcome::kSuccess;
  switch (status) {
    case 429:  // Too Many Requests
    case 502:  // Bad Gateway
    case 503:  // Service Unavailable
    case 504:  // Gateway Timeout
      return AttemptOutcome::kRetryable;
    default:
      return AttemptOutcome::kPermanent;
  }
}

std::optional<milliseconds> ParseRetryAfter(std::string_view value,
                                            std::chrono::system_clock::time_point now) noexcept {
  value = TrimOws(value);
  if (value.empty()) return std::nullopt;

  if (std::all_of(value.begin(), value.end(), IsDigit)) {
    std::int64_t seconds = 0;
    for (char c : value) {
      seconds = seconds * 10 + (c - '0');
      if (seconds >= kMaxDeltaSeconds) {
        seconds = kMaxDeltaSeconds;
        break;
      }
    }
    return milliseconds(seconds * 1000);
  }

  DateParts parts;
  int current_year = static_cast<int>(
      std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(now)).year());
  if (!ParseImfFixdate(value, parts) && !ParseRfc850(value, parts, current_year) &&
      !ParseAsctime(value, parts)) {
    return std::nullopt;
  }
  auto when = ToTimePoint(parts);
  if (!when) return std::nullopt;
  if (*when <= now) return milliseconds(0);
  // Round up: retrying a fraction of a second before the server's date would be too early.
  return std::chrono::ceil<milliseconds>(*when - now);
}

milliseconds BackoffDelay(const RetryPolicy& policy, int retry, double uniform01) noexcept {
  double multiplier = policy.backoff_multiplier >= 1.0 ? policy.backoff_multiplier : 1.0;
  double max_ms = static_cast<double>(std::max<std::int64_t>(0, policy.max_backoff.count()));
  double base = static_cast<double>(std::max<std::int64_t>(0, policy.initial_backoff.count()));
  for (int i = 1; i < retry && base < max_ms; ++i) base *= multiplier;
  base = std::min(base, max_ms);

  double jitter = std::clamp(std::isfinite(policy.jitter) ? policy.jitter : 0.0, 0.0, 1.0);
  double u = std::clamp(std::isfinite(uniform01) ? uniform01 : 0.0, 0.0, 1.0);
  double factor = 1.0 + jitter * (2.0 * u - 1.0);
  return milliseconds(static_cast<std::int64_t>(std::llround(base * factor)));
}

std::optional<milliseconds> NextRetryDelay(const RetryPolicy& policy, int attempts_made,
                                           std::optional<milliseconds> retry_after,
                                           milliseconds time_left, double uniform01) noexcept {
  if (attempts_made >= policy.max_attempts) return std::nullopt;
  milliseconds delay = retry_after
                           ? std::clamp(*retry_after, milliseconds(0),
                                        std::max(milliseconds(0), policy.max_retry_after))
                           : BackoffDelay(policy, attempts_made, uniform01);
  // A retry that could only start at or after the deadline is pointless, and a Retry-After
  // longer than the time left must not be cut short: the server asked us not to come sooner.
  if (delay >= time_left) return std::nullopt;
  return delay;
}

}  // namespace hotorder::telemetry::otlp
