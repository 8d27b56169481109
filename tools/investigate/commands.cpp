#include "tools/investigate/commands.hpp"

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

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
  std::size_t last_count = 0;
  Clock::time_point last_change;
  TraceAnswer answer;
  while (true) {
    answer = client.GetTrace(options.trace_id);
    if (answer.status == TraceAnswer::Status::kFound) {
      const auto now = Clock::now();
      if (!found || answer.trace.spans.size() != last_count) {
        last_count = answer.trace.spans.size();
        last_change = now;
      }
      found = std::move(answer.trace);
      if (!options.wait) break;
      const auto stable_for = now - last_change;
      if (stable_for >= kSettleTime &&
          (LooksComplete(*found) || stable_for >= kSettleTimeIncomplete)) {
        break;
      }
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
  SearchAnswer answer;
  while (true) {
    answer = client.Search(options.search, NowMicros());
    if (answer.ok && !answer.traces.empty()) break;
    if (!options.wait || !NextPoll(deadline)) break;
  }
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
