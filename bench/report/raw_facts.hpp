#pragma once
// What `./hotorder bench system` recorded, read back: the script (scripts/bench-system.sh) only
// runs commands and keeps what they printed (facts.env, wrk's and pg_test_fsync's output,
// /proc/<pid>/stat lines, lscpu, /proc/meminfo, the services' and the OTLP sink's logs). These
// parsers turn each into numbers; the arithmetic on them is system_report's.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "bench/report/figures.hpp"

namespace hotorder::bench_report {

// The script's facts.env: one key=value per line (the value is the rest of the line, spaces and
// all); empty lines and lines starting with '#' are skipped. nullopt with `error` set for a line
// without '=' or a key given twice.
using Facts = std::map<std::string, std::string, std::less<>>;
std::optional<Facts> ParseFacts(std::string_view text, std::string& error);

// "Requests/sec: 109299.12" in wrk's output.
Figure ParseWrkRequestsPerSecond(std::string_view output);
// The usecs/op of the first "fdatasync" line in pg_test_fsync's output: one 8 kB write and
// fdatasync (the first section). None while the tool had not printed that figure yet.
Figure ParseFdatasyncMicros(std::string_view output);
// utime + stime (clock ticks) from a /proc/<pid>/stat line.
std::optional<std::uint64_t> ParseCpuTicks(std::string_view stat_line);
// "Model name:" of lscpu's output ("" when it has none).
std::string ParseCpuModel(std::string_view lscpu_output);
// "MemTotal:" of /proc/meminfo, in KiB.
std::optional<std::uint64_t> ParseMemTotalKib(std::string_view meminfo);

// What a service's SDK did with its spans: the "tracing totals" log line a service writes once
// at shutdown. A field missing from the line counts as 0.
struct TracingTotals {
  std::uint64_t spans_started = 0;
  std::uint64_t spans_ended = 0;
  std::uint64_t spans_exported = 0;
  std::uint64_t spans_dropped = 0;
  std::uint64_t export_requests = 0;
  std::uint64_t export_failures = 0;

  TracingTotals& operator+=(const TracingTotals& other);
};
// The last "tracing totals" line of a service's log (JSON lines); nullopt when there is none
// (`error` then says why: no such line, or a field that is not a whole number).
std::optional<TracingTotals> ParseTracingTotals(std::string_view log, std::string& error);

// What `floor_chain otlp-sink` received, from the line it writes on its way out: "... answered
// 120 requests with 345678 body bytes".
struct SinkTotals {
  std::uint64_t requests = 0;
  std::uint64_t body_bytes = 0;
};
std::optional<SinkTotals> ParseSinkTotals(std::string_view log);

// A decimal number ("151", "1.5", "1763912188.123456789"), surrounding blanks allowed; none for
// anything else.
Figure ParseNumber(std::string_view text);

}  // namespace hotorder::bench_report
