#include "tools/investigate/find_report.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "tools/investigate/duration.hpp"
#include "tools/investigate/text.hpp"

namespace hotorder::investigate {

TraceSummary Summarize(const Trace& trace) {
  TraceSummary summary;
  summary.trace_id = trace.trace_id;
  summary.start_us = trace.start_us;
  summary.duration_us = trace.duration_us();
  summary.span_count = trace.spans.size();
  summary.service_count = trace.ServiceCount();
  summary.error_count = trace.ErrorCount();
  if (const Span* root = trace.Root()) {
    summary.root_service = root->service;
    summary.root_operation = root->operation;
  }
  return summary;
}

std::vector<TraceSummary> SummarizeSlowestFirst(const std::vector<Trace>& traces) {
  std::vector<TraceSummary> summaries;
  std::set<std::string> seen;
  for (const Trace& trace : traces) {
    if (seen.insert(trace.trace_id).second) summaries.push_back(Summarize(trace));
  }
  std::stable_sort(summaries.begin(), summaries.end(),
                   [](const TraceSummary& a, const TraceSummary& b) {
                     if (a.duration_us != b.duration_us) return a.duration_us > b.duration_us;
                     return a.start_us > b.start_us;
                   });
  return summaries;
}

std::string FormatFindTable(const std::vector<TraceSummary>& summaries) {
  std::size_t id_width = 8;
  for (const auto& summary : summaries) id_width = std::max(id_width, summary.trace_id.size());
  std::string text = Fit("TRACE ID", id_width) + "  START         DURATION  SPANS  SERVICES  ERRORS  ROOT\n";
  for (const auto& summary : summaries) {
    text += Fit(summary.trace_id, id_width) + "  " + FormatClockTime(summary.start_us) + "  " +
            PadLeft(FormatDuration(summary.duration_us), 8) + "  " +
            PadLeft(std::to_string(summary.span_count), 5) + "  " +
            PadLeft(std::to_string(summary.service_count), 8) + "  " +
            PadLeft(std::to_string(summary.error_count), 6) + "  " + summary.root_service + ": " +
            summary.root_operation + "\n";
  }
  if (!summaries.empty()) {
    text += "\n" + std::to_string(summaries.size()) + (summaries.size() == 1 ? " trace" : " traces") +
            ". Next: investigate explain " + summaries.front().trace_id + "\n";
  }
  return text;
}

std::string FormatFindJson(const std::vector<TraceSummary>& summaries) {
  using json = nlohmann::ordered_json;
  json traces = json::array();
  for (const auto& summary : summaries) {
    traces.push_back({{"trace_id", summary.trace_id},
                      {"start_time_us", summary.start_us},
                      {"duration_us", summary.duration_us},
                      {"span_count", summary.span_count},
                      {"service_count", summary.service_count},
                      {"error_count", summary.error_count},
                      {"root", {{"service", summary.root_service},
                                {"operation", summary.root_operation}}}});
  }
  return json{{"traces", traces}}.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace hotorder::investigate
