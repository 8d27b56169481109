#pragma once
// The table `./hotorder test` ends with: how long each stage took. The script records one line
// per stage (tab-separated: name, start and end in Unix milliseconds, result) and this code turns
// the records into the table, so no arithmetic happens in bash.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hotorder::stage_times {

struct StageRecord {
  std::string name;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string result;  // "ok", "FAILED", ...
};

// One record from "name<TAB>start_ms<TAB>end_ms<TAB>result"; nullopt with `error` set for a line
// that is not one (wrong field count, a time that is not a whole number, an end before its start).
std::optional<StageRecord> ParseStageLine(std::string_view line, std::string& error);

// "42s" below a minute, "3m 07s" below an hour, "1h 02m 03s" above.
std::string FormatDuration(std::int64_t milliseconds);

// The table: one row per stage with its duration and result, then the wall time from the first
// stage's start to the last one's end.
std::string RenderStageTable(const std::vector<StageRecord>& stages);

}  // namespace hotorder::stage_times
