#include "loadgen/engine.hpp"

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>

#include "loadgen/arrival_schedule.hpp"
#include "loadgen/connection.hpp"
#include "loadgen/mix.hpp"
#include "loadgen/preflight.hpp"
#include "loadgen/request_text.hpp"
#include "telemetry/propagation/w3c_baggage.hpp"
#include "telemetry/span.hpp"

namespace hotorder::loadgen {

namespace asio = boost::asio;
using boost::system::error_code;
using tcp = asio::ip::tcp;
using std::chrono::milliseconds;
using namespace std::chrono_literals;

std::uint32_t DefaultOpenLoopConnections(double rate) noexcept {
  const double wanted = std::ceil(rate * 0.05);
  return static_cast<std::uint32_t>(std::clamp(wanted, 8.0, 64.0));
}

namespace {

constexpr std::string_view kUserAgent = "hotorder-loadgen/0.1.0";
// After a failed connect a connection waits this long before its next request, so a dead
// server costs a few errors a second per connection rather than a busy loop.
constexpr milliseconds kConnectBackoff{100};
constexpr auto kIntervalLength = std::chrono::seconds(1);

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

std::string HostForUrl(const std::string& host) {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

Outcome ToOutcome(ExchangeError error) {
  switch (error) {
    case ExchangeError::kNone:
      return Outcome::kResponse;
    case ExchangeError::kConnect:
      return Outcome::kConnectError;
    case ExchangeError::kIo:
      return Outcome::kReadError;
    case ExchangeError::kTimeout:
      return Outcome::kTimeout;
  }
  return Outcome::kReadError;
}

class Engine final : public ConnectionListener {
 public:
  Engine(const Options& options, const RunHooks& hooks, const tcp::endpoint& endpoint);
  RunResult Run();

 private:
  enum class Phase : std::uint8_t { kConnecting, kRunning, kDraining, kDone };

  struct Slot {
    std::unique_ptr<Connection> connection;
    Scenario scenario = Scenario::kOk;
    TimePoint intended{};
    TimePoint sent{};
    bool measured = false;
    telemetry::Span span;
    RequestResult result;  // reused: its trace_id keeps its capacity
  };

  void OnExchangeDone(Connection& connection, ExchangeError error) override;
  void OnOpened(Connection& connection, bool ok) override;
  void OnRested(Connection& connection) override;

  void StartRun(TimePoint now);
  void Issue(Slot& slot, TimePoint intended, TimePoint now);
  void Serialise(Slot& slot, const RequestSpec& spec);
  telemetry::Baggage PickBaggage();
  void Record(Slot& slot, ExchangeError error, TimePoint now);
  void EndSpan(Slot& slot, ExchangeError error);
  void NextFor(Slot& slot, TimePoint now);
  void IssueDue(TimePoint now);
  void IssueDueOnIdle(TimePoint now);
  void ArmSchedule();
  void StopIssuing(TimePoint now);
  void StopWhenExhausted(TimePoint now);
  void MaybeFinish(TimePoint now);
  void Finish(TimePoint now);
  void ArmSweep();
  void ArmInterval();
  void WaitForSignal();

  bool open_loop() const noexcept { return options_.mode == LoopMode::kOpen; }

  const Options& options_;
  const RunHooks& hooks_;
  // Declared first so it is destroyed last, after every socket and timer that uses it.
  asio::io_context io_{1};
  asio::steady_timer schedule_timer_{io_};
  asio::steady_timer sweep_timer_{io_};
  asio::steady_timer interval_timer_{io_};
  asio::steady_timer stop_timer_{io_};
  std::optional<asio::signal_set> signals_;

  std::vector<Slot> slots_;
  std::vector<std::size_t> idle_;  // a stack: the most recently freed connection goes next
  std::size_t busy_ = 0;           // exchanges and opens in flight
  Phase phase_ = Phase::kConnecting;

  std::mt19937_64 rng_;
  ScenarioPicker picker_;
  RequestFactory factory_;
  Recorder recorder_;
  std::optional<ArrivalSchedule> schedule_;
  bool schedule_armed_ = false;

  std::string fixed_headers_;  // Host and User-Agent, the same for every request
  std::string base_url_;
  std::optional<std::string> constant_baggage_header_;  // when every rule applies to every request
  Clock::duration sweep_period_{};

  TimePoint measure_start_{};
  bool started_ = false;
  std::uint64_t measured_issued_ = 0;
  std::uint64_t interval_count_ = 0;
  std::uint64_t unsent_ = 0;
  bool interrupted_ = false;
  TimePoint draining_since_{};
  bool drain_reported_ = false;
  TimePoint finished_at_{};
  std::vector<IntervalStats> intervals_;
};

Engine::Engine(const Options& options, const RunHooks& hooks, const tcp::endpoint& endpoint)
    : options_(options),
      hooks_(hooks),
      rng_(options.seed != 0 ? options.seed : std::random_device{}()),
      picker_(options.mix),
      factory_(options.sku_count),
      recorder_(options.slowest, !options.trace_ids_path.empty()) {
  // Closed loop: one connection per request in flight (HTTP/1.1 without pipelining), so
  // --connections does not apply there.
  std::uint32_t connections = options.concurrency;
  if (open_loop()) {
    connections = options.connections > 0 ? options.connections
                                          : DefaultOpenLoopConnections(options.rate);
  }
  connections = std::max<std::uint32_t>(connections, 1);
  slots_.resize(connections);
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    slots_[i].connection = std::make_unique<Connection>(io_, endpoint, *this, i);
  }
  idle_.reserve(connections);

  const std::string host = HostForUrl(options.host) + ":" + std::to_string(options.port);
  base_url_ = "http://" + host;
  fixed_headers_ = "Host: " + host + "\r\nUser-Agent: " + std::string(kUserAgent) + "\r\n";

  const bool constant = std::all_of(options.baggage.begin(), options.baggage.end(),
                                    [](const BaggageRule& rule) { return rule.ratio >= 1.0; });
  if (!options.baggage.empty() && constant && hooks.tracer == nullptr) {
    const std::string header = telemetry::FormatBaggageHeader(PickBaggage());
    if (!header.empty()) constant_baggage_header_ = "baggage: " + header + "\r\n";
  }
  sweep_period_ = std::clamp<Clock::duration>(options.timeout / 10, milliseconds(1),
                                               milliseconds(100));
}

RunResult Engine::Run() {
  if (hooks_.handle_signals) {
    signals_.emplace(io_, SIGINT, SIGTERM);
    WaitForSignal();
  }
  // Open every connection before the clock starts, so the first requests do not pay for it.
  const TimePoint now = Clock::now();
  const TimePoint deadline = now + std::min(options_.timeout, hooks_.preflight_timeout);
  for (Slot& slot : slots_) {
    ++busy_;
    slot.connection->Open(deadline);
  }
  ArmSweep();
  io_.run();

  RunResult result;
  RunFacts& facts = result.facts;
  facts.target = options_.target;
  facts.mode = options_.mode;
  facts.target_rps = open_loop() ? options_.rate : 0;
  facts.concurrency = open_loop() ? 0 : options_.concurrency;
  facts.connections = static_cast<std::uint32_t>(slots_.size());
  // A --duration run (or an interrupted one) measured until it stopped issuing: the drain adds
  // completions, not time. A --requests run measured until its last request completed.
  const bool until_last = options_.requests.has_value() && !interrupted_;
  const TimePoint measure_end = until_last ? finished_at_ : draining_since_;
  facts.measured_s =
      started_ && measure_end > measure_start_ ? Seconds(measure_end - measure_start_) : 0;
  facts.warmup_s = Seconds(options_.warmup);
  facts.unsent = unsent_;
  facts.interrupted = interrupted_;
  facts.mix = FormatMix(options_.mix);
  facts.traced = hooks_.tracer != nullptr;
  result.totals = recorder_.Totals();
  result.intervals = std::move(intervals_);
  return result;
}

void Engine::OnOpened(Connection&, bool) {
  // A connection that failed to open simply connects again on its first request, where the
  // failure is counted.
  --busy_;
  if (busy_ > 0) return;
  const TimePoint now = Clock::now();
  if (phase_ == Phase::kConnecting) {
    StartRun(now);
  } else {
    MaybeFinish(now);
  }
}

void Engine::StartRun(TimePoint now) {
  phase_ = Phase::kRunning;
  started_ = true;
  measure_start_ = now + options_.warmup;
  if (options_.duration) {
    stop_timer_.expires_at(measure_start_ + *options_.duration);
    stop_timer_.async_wait([this](const error_code& ec) {
      if (!ec) StopIssuing(Clock::now());
    });
  }
  ArmInterval();

  if (open_loop()) {
    schedule_.emplace(now, options_.rate);
    // The intended requests are exactly those before the end (--duration) or the first N after
    // the warm-up (--requests); a request intended at the very end instant is not one of them.
    if (options_.requests) {
      schedule_->SetLimit(schedule_->CountBefore(measure_start_) + *options_.requests);
    } else if (options_.duration) {
      schedule_->SetLimit(schedule_->CountBefore(measure_start_ + *options_.duration));
    }
    for (std::size_t i = slots_.size(); i-- > 0;) idle_.push_back(i);
    IssueDue(now);
  } else {
    for (Slot& slot : slots_) NextFor(slot, now);
  }
}

void Engine::IssueDueOnIdle(TimePoint now) {
  while (!idle_.empty() && schedule_->HasDue(now)) {
    Slot& slot = slots_[idle_.back()];
    idle_.pop_back();
    Issue(slot, schedule_->IntendedTime(schedule_->Pop()), now);
  }
}

void Engine::IssueDue(TimePoint now) {
  IssueDueOnIdle(now);
  if (schedule_->Exhausted()) return StopWhenExhausted(now);
  // With a backlog the next completion issues; otherwise wake at the next intended time.
  if (!schedule_->HasDue(now)) ArmSchedule();
}

void Engine::ArmSchedule() {
  if (schedule_armed_ || phase_ != Phase::kRunning) return;
  schedule_armed_ = true;
  schedule_timer_.expires_at(schedule_->NextIntendedTime());
  schedule_timer_.async_wait([this](const error_code& ec) {
    schedule_armed_ = false;
    if (ec || phase_ != Phase::kRunning) return;
    IssueDue(Clock::now());
  });
}

void Engine::NextFor(Slot& slot, TimePoint now) {
  if (phase_ != Phase::kRunning) {
    if (open_loop()) idle_.push_back(slot.connection->index());
    return MaybeFinish(now);
  }
  if (open_loop()) {
    if (schedule_->HasDue(now)) {
      Issue(slot, schedule_->IntendedTime(schedule_->Pop()), now);
      if (schedule_->Exhausted()) StopWhenExhausted(now);
    } else {
      idle_.push_back(slot.connection->index());
      ArmSchedule();
    }
    return;
  }
  Issue(slot, now, now);
  if (options_.requests && measured_issued_ >= *options_.requests) StopIssuing(now);
}

void Engine::Issue(Slot& slot, TimePoint intended, TimePoint now) {
  const Scenario scenario = picker_.Pick(rng_);
  const RequestSpec spec = factory_.Make(scenario, rng_);
  slot.scenario = scenario;
  slot.intended = intended;
  slot.sent = now;
  // Warm-up requests are sent but not recorded; the boundary is the intended send time, which
  // in the closed loop is the actual one.
  slot.measured = intended >= measure_start_;
  if (slot.measured) ++measured_issued_;
  Serialise(slot, spec);
  ++busy_;
  // Only a placed order's body is read (for its order_id); every other body is skipped.
  slot.connection->Start(now, now + options_.timeout, scenario == Scenario::kOk);
}

telemetry::Baggage Engine::PickBaggage() {
  telemetry::Baggage baggage;
  for (const BaggageRule& rule : options_.baggage) {
    if (rule.ratio >= 1.0 || std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < rule.ratio) {
      baggage = baggage.Set(rule.key, rule.value);
    }
  }
  return baggage;
}

void Engine::Serialise(Slot& slot, const RequestSpec& spec) {
  // Built by hand into a buffer that keeps its capacity: no Beast message, no per-request
  // header containers.
  std::string& out = slot.connection->request_buffer();
  out.clear();
  AppendRequestHead(out, spec, fixed_headers_);
  if (hooks_.tracer != nullptr) {
    telemetry::Context parent{{}, options_.baggage.empty() ? telemetry::Baggage{} : PickBaggage()};
    slot.span = hooks_.tracer->StartSpan(
        ClientSpanName(spec), parent,
        {.kind = telemetry::SpanKind::kClient,
         .attributes = {{"http.request.method", telemetry::AttributeValue(spec.method)},
                        {"url.full", telemetry::AttributeValue(base_url_ + spec.target)},
                        {"server.address", telemetry::AttributeValue(options_.host)},
                        {"server.port", telemetry::AttributeValue(options_.port)},
                        {"loadgen.scenario", telemetry::AttributeValue(ScenarioName(spec.scenario))}}});
    AppendHeaderWriter writer(out);
    hooks_.propagator->Inject(telemetry::ContextWithSpan(parent, slot.span), writer);
  } else if (constant_baggage_header_) {
    out.append(*constant_baggage_header_);
  } else if (!options_.baggage.empty()) {
    const telemetry::Baggage baggage = PickBaggage();
    if (!baggage.empty()) {
      out.append("baggage: ").append(telemetry::FormatBaggageHeader(baggage)).append("\r\n");
    }
  }
  out.append("\r\n");
  out.append(spec.body);
}

void Engine::OnExchangeDone(Connection& connection, ExchangeError error) {
  const TimePoint now = Clock::now();
  --busy_;
  Slot& slot = slots_[connection.index()];
  const ResponseInfo& response = connection.response();
  if (error == ExchangeError::kNone && slot.scenario == Scenario::kOk && response.status == 201) {
    std::string order_id = ExtractOrderId(response.body);
    if (!order_id.empty()) factory_.RememberOrder(std::move(order_id));
  }
  if (slot.measured) Record(slot, error, now);
  if (hooks_.tracer != nullptr) EndSpan(slot, error);
  if (error == ExchangeError::kConnect && phase_ == Phase::kRunning) {
    return connection.Rest(kConnectBackoff);
  }
  NextFor(slot, now);
}

void Engine::OnRested(Connection& connection) {
  NextFor(slots_[connection.index()], Clock::now());
}

void Engine::Record(Slot& slot, ExchangeError error, TimePoint now) {
  RequestResult& result = slot.result;
  const ResponseInfo& response = slot.connection->response();
  result.scenario = slot.scenario;
  result.outcome = ToOutcome(error);
  // Only a completed exchange has a response; otherwise the parser's fields are stale.
  const bool answered = error == ExchangeError::kNone;
  result.status = answered ? response.status : 0;
  // Open loop: from the intended send time, so time spent queued behind a slow server counts.
  result.latency_us = MicrosBetween(slot.intended, now);
  result.schedule_lag_us = open_loop() ? MicrosBetween(slot.intended, slot.sent) : 0;
  if (answered && !response.trace_id.empty()) {
    result.trace_id.assign(response.trace_id);
  } else if (hooks_.tracer != nullptr && slot.span.context().IsValid()) {
    result.trace_id = slot.span.context().trace_id().ToHex();
  } else {
    result.trace_id.clear();
  }
  recorder_.Record(result);
}

void Engine::EndSpan(Slot& slot, ExchangeError error) {
  telemetry::Span& span = slot.span;
  if (error == ExchangeError::kNone) {
    const int status = slot.connection->response().status;
    span.SetAttribute("http.response.status_code", status);
    if (status != ExpectedStatus(slot.scenario)) {
      span.SetAttribute("error.type", std::to_string(status));
      span.SetStatus(telemetry::StatusCode::kError,
                     "unexpected status " + std::to_string(status) + " for scenario " +
                         std::string(ScenarioName(slot.scenario)));
    }
  } else {
    std::string_view type = error == ExchangeError::kConnect   ? "connect_error"
                            : error == ExchangeError::kTimeout ? "timeout"
                                                               : "read_error";
    span.SetAttribute("error.type", type);
    span.SetStatus(telemetry::StatusCode::kError, type);
  }
  span.End();
}

void Engine::StopIssuing(TimePoint now) {
  if (phase_ == Phase::kDraining || phase_ == Phase::kDone) return;
  if (phase_ == Phase::kRunning && schedule_) {
    // The end timer can fire just before the schedule timer: what came due in that instant
    // and has a free connection is sent, so only requests the server really held back count
    // as unsent. (The schedule's limit keeps requests intended after the end out.)
    if (!interrupted_) IssueDueOnIdle(now);
    unsent_ = schedule_->Backlog(now);
  }
  phase_ = Phase::kDraining;
  draining_since_ = now;
  schedule_timer_.cancel();
  stop_timer_.cancel();
  // In-flight requests finish, or time out through the sweep, before the run ends.
  MaybeFinish(now);
}

void Engine::StopWhenExhausted(TimePoint now) {
  // A --duration run still ends at its end time (the stop timer); a --requests run ends now.
  if (!options_.duration) StopIssuing(now);
}

void Engine::MaybeFinish(TimePoint now) {
  if (phase_ == Phase::kDraining && busy_ == 0) Finish(now);
}

void Engine::Finish(TimePoint now) {
  phase_ = Phase::kDone;
  finished_at_ = now;
  schedule_timer_.cancel();
  sweep_timer_.cancel();
  interval_timer_.cancel();
  stop_timer_.cancel();
  if (signals_) {
    error_code ignored;
    signals_->cancel(ignored);
  }
  for (Slot& slot : slots_) slot.connection->Close();
  // The last, partial interval, so the CSV covers the whole measurement.
  if (started_ && now > measure_start_) {
    const double elapsed = Seconds(now - measure_start_);
    const double length = elapsed - static_cast<double>(interval_count_);
    if (length > 0.001) intervals_.push_back(recorder_.TakeInterval(elapsed, length));
  }
}

void Engine::ArmSweep() {
  sweep_timer_.expires_after(sweep_period_);
  sweep_timer_.async_wait([this](const error_code& ec) {
    if (ec || phase_ == Phase::kDone) return;
    const TimePoint now = Clock::now();
    for (Slot& slot : slots_) slot.connection->ExpireIfDue(now);
    if (hooks_.stop != nullptr && hooks_.stop->load(std::memory_order_relaxed) && !interrupted_) {
      interrupted_ = true;
      StopIssuing(now);
    }
    if (phase_ == Phase::kDraining && !drain_reported_ && now - draining_since_ >= 1s) {
      drain_reported_ = true;
      if (hooks_.on_draining) hooks_.on_draining(busy_);
    }
    if (phase_ != Phase::kDone) ArmSweep();
  });
}

void Engine::ArmInterval() {
  interval_timer_.expires_at(measure_start_ + kIntervalLength * (interval_count_ + 1));
  interval_timer_.async_wait([this](const error_code& ec) {
    if (ec || phase_ == Phase::kDone) return;
    ++interval_count_;
    const double length = std::chrono::duration<double>(kIntervalLength).count();
    IntervalStats stats =
        recorder_.TakeInterval(static_cast<double>(interval_count_) * length, length);
    intervals_.push_back(stats);
    if (hooks_.on_interval) hooks_.on_interval(stats);
    ArmInterval();
  });
}

void Engine::WaitForSignal() {
  signals_->async_wait([this](const error_code& ec, int) {
    if (ec) return;
    if (!interrupted_) {
      interrupted_ = true;
      StopIssuing(Clock::now());
      if (phase_ != Phase::kDone) WaitForSignal();
      return;
    }
    if (hooks_.on_second_signal) {
      hooks_.on_second_signal();
    } else {
      std::_Exit(130);
    }
  });
}

}  // namespace

RunResult RunLoad(const Options& options, const RunHooks& hooks) {
  Preflight preflight = CheckReachable(options.host, options.port, hooks.preflight_timeout);
  if (!preflight.endpoint) {
    RunResult result;
    result.fatal_error = "cannot connect to http://" + HostForUrl(options.host) + ":" +
                         std::to_string(options.port) + ": " + preflight.error;
    return result;
  }
  Engine engine(options, hooks, *preflight.endpoint);
  return engine.Run();
}

}  // namespace hotorder::loadgen
