#pragma once
// `investigate find`: one row per trace, slowest first.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tools/investigate/trace_model.hpp"

namespace hotorder::investigate {

struct TraceSummary {
  std::string trace_id;
  std::int64_t start_us = 0;
  std::int64_t duration_us = 0;  // first span start to last span end
  std::size_t span_count = 0;
  std::size_t service_count = 0;
  std::size_t error_count = 0;
  std::string root_service;
  std::string root_operation;
};

TraceSummary Summarize(const Trace& trace);

// Slowest first (ties: later start first); a trace listed twice is kept once.
std::vector<TraceSummary> SummarizeSlowestFirst(const std::vector<Trace>& traces);

// A table with a header row, then a hint naming the next command. Start times are local.
std::string FormatFindTable(const std::vector<TraceSummary>& summaries);

// {"traces":[{"trace_id","start_time_us","duration_us","span_count","service_count",
// "error_count","root":{"service","operation"}}]}
std::string FormatFindJson(const std::vector<TraceSummary>& summaries);

}  // namespace hotorder::investigate
