#include "tools/investigate/commands.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tools/investigate/explain_report.hpp"
#include "tools/investigate/find_report.hpp"
#include "tools/investigate/jaeger_client.hpp"
#include "tools/investigate/kept_report.hpp"
#include "tools/investigate/trace_json.hpp"
#include "tools/investigate/waterfall.hpp"

namespace hotorder::investigate {
namespace {

using Clock = std::chrono::steady_clock;

std::int64_t NowMicros() {
  return std::chrono::duration_cast<Micros>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Waits for the next poll; false when the deadline has passed (no poll left).
bool NextPoll(Clock::time_point deadline) {
  const auto now = Clock::now();
  if (now >= deadline) return false;
  std::this_thread::sleep_until(std::min(now + kPollInterval, deadline));
  return true;
}

bool LooksComplete(const Trace& trace) {
  const Span* root = trace.Root();
  if (root == nullptr || !root->parent_span_id.empty()) return false;
  return std::none_of(trace.spans.begin(), trace.spans.end(),
                      [](const Span& span) { return span.orphan(); });
}

// Under --wait, decides when an answer has settled (see kSettleTime): its span count has held
// long enough, and every trace in it looks whole or the longer wait for partial ones is over.
class Settling {
 public:
  bool Settled(const std::vector<const Trace*>& traces) {
    std::size_t count = 0;
    bool complete = true;
    for (const Trace* trace : traces) {
      count += trace->spans.size();
      complete = complete && LooksComplete(*trace);
    }
    const auto now = Clock::now();
    if (!seen_ || count != last_count_) {
      seen_ = true;
      last_count_ = count;
      last_change_ = now;
    }
    const auto stable_for = now - last_change_;
    return stable_for >= kSettleTime && (complete || stable_for >= kSettleTimeIncomplete);
  }

 private:
  bool seen_ = false;
  std::size_t last_count_ = 0;
  Clock::time_point last_change_;
};

std::string NotFoundMessage(const Options& options) {
  if (options.wait) {
    return "trace " + options.trace_id + " is not in Jaeger at " + options.jaeger.text +
           " after waiting " + FormatDuration(options.wait->count()) +
           "; check the id, and that the services export spans (./hotorder status)";
  }
  return "trace " + options.trace_id +
         " is not in Jaeger (yet): spans arrive a few seconds after the request; retry, or pass "
         "--wait 10s";
}

// Fetches the trace, polling under --wait; prints the error and returns the exit code when it
// cannot.
std::optional<Trace> FetchTrace(const Options& options, std::ostream& err, int& exit_code) {
  const JaegerClient client(options.jaeger, options.timeout);
  const auto deadline = Clock::now() + options.wait.value_or(Micros(0));
  std::optional<Trace> found;
  Settling settling;
  TraceAnswer answer;
  while (true) {
    answer = client.GetTrace(options.trace_id);
    if (answer.status == TraceAnswer::Status::kFound) {
      found = std::move(answer.trace);
      if (!options.wait || settling.Settled({&*found})) break;
    }
    if (!options.wait || !NextPoll(deadline)) break;
  }
  // A trace seen once is shown even if a later poll failed: it is the best answer there is.
  if (found) return found;
  if (answer.status == TraceAnswer::Status::kNotFound) {
    err << "investigate: " << NotFoundMessage(options) << "\n";
    exit_code = kExitNotFound;
  } else {
    err << "investigate: " << answer.error << "\n";
    exit_code = kExitJaegerError;
  }
  return std::nullopt;
}

std::string DescribeFilters(const Options& options) {
  const SearchQuery& search = options.search;
  std::string text = "service " + search.service;
  if (!search.operation.empty()) text += ", operation \"" + search.operation + "\"";
  if (search.min_duration) text += ", at least " + FormatDuration(search.min_duration->count());
  if (search.max_duration) text += ", at most " + FormatDuration(search.max_duration->count());
  text += ", in the last " + FormatDuration(search.lookback.count());
  return text;
}

int RunFind(const Options& options, std::ostream& out, std::ostream& err) {
  const JaegerClient client(options.jaeger, options.timeout);
  const auto deadline = Clock::now() + options.wait.value_or(Micros(0));
  // Under --wait the search is repeated until its answer settles, as show's trace does: Jaeger
  // lists a trace as soon as its root arrives, before the other services' spans, and a list read
  // twice must name the same slowest trace.
  // Under traffic the list never holds still, so settling gives up after kSearchSettleLimit.
  SearchAnswer answer;
  SearchAnswer settled;
  Settling settling;
  std::optional<Clock::time_point> first_listed;
  while (true) {
    answer = client.Search(options.search, NowMicros());
    if (answer.ok && !answer.traces.empty()) {
      settled = answer;
      if (!first_listed) first_listed = Clock::now();
      std::vector<const Trace*> traces;
      for (const Trace& trace : settled.traces) traces.push_back(&trace);
      if (!options.wait || settling.Settled(traces) ||
          Clock::now() - *first_listed >= kSearchSettleLimit) {
        break;
      }
    }
    if (!options.wait || !NextPoll(deadline)) break;
  }
  // A list seen once is shown even if a later poll failed or came back empty.
  if (!settled.traces.empty()) answer = std::move(settled);
  if (!answer.ok) {
    err << "investigate: " << answer.error << "\n";
    return kExitJaegerError;
  }
  const auto summaries = SummarizeSlowestFirst(answer.traces);
  if (summaries.empty()) {
    std::string message = "no trace in Jaeger at " + options.jaeger.text + " matches " +
                          DescribeFilters(options);
    if (options.wait) {
      message += " (waited " + FormatDuration(options.wait->count()) + ")";
    } else {
      message += "; spans arrive a few seconds after a request: retry, or pass --wait 10s";
    }
    // A script reading --json still gets a document to parse; the exit code says "none".
    if (options.json) out << FormatFindJson(summaries);
    err << "investigate: " << message << "\n";
    return kExitNotFound;
  }
  out << (options.json ? FormatFindJson(summaries) : FormatFindTable(summaries));
  return kExitOk;
}

// Every file's trace ids looked up in Jaeger, one request each.
int RunKept(const Options& options, std::ostream& out, std::ostream& err) {
  const JaegerClient client(options.jaeger, options.timeout);
  std::vector<KeptGroup> groups;
  for (const auto& file : options.id_files) {
    std::ifstream in(file.path, std::ios::binary);
    if (!in) {
      err << "investigate: cannot read " << file.path << "\n";
      return kExitUsage;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = ParseTraceIdFile(text.str());
    if (const auto* error = std::get_if<IdFileError>(&parsed)) {
      err << "investigate: " << file.path << ", " << error->message << "\n";
      return kExitUsage;
    }
    KeptGroup group{.label = file.label};
    for (const auto& id : std::get<std::vector<std::string>>(parsed)) {
      const auto answer = client.GetTrace(id);
      if (answer.status == TraceAnswer::Status::kError) {
        err << "investigate: " << answer.error << "\n";
        return kExitJaegerError;
      }
      ++group.sent;
      if (answer.status == TraceAnswer::Status::kFound) ++group.kept;
    }
    groups.push_back(std::move(group));
  }
  if (options.json) {
    out << KeptJson(groups).dump(2) << "\n";
  } else {
    out << FormatKeptTable(groups);
  }
  return kExitOk;
}

}  // namespace

int RunCommand(const Options& options, std::ostream& out, std::ostream& err) {
  if (options.command == Command::kFind) return RunFind(options, out, err);
  if (options.command == Command::kKept) return RunKept(options, out, err);
  int exit_code = kExitOk;
  const auto trace = FetchTrace(options, err, exit_code);
  if (!trace) return exit_code;
  if (options.command == Command::kShow && options.json) {
    out << WaterfallJson(*trace).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
        << "\n";
  } else if (options.command == Command::kShow) {
    out << RenderWaterfall(*trace, {.ascii = options.ascii});
  } else {
    const Explanation explanation = Explain(*trace);
    if (options.json) {
      out << ExplainJson(*trace, explanation)
                 .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
          << "\n";
    } else {
      out << FormatExplainText(*trace, explanation);
    }
  }
  out.flush();
  return kExitOk;
}

}  // namespace hotorder::investigate
