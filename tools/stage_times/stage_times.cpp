#include "tools/stage_times/stage_times.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace hotorder::stage_times {
namespace {

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> fields;
  for (;;) {
    const auto tab = line.find('\t');
    fields.push_back(line.substr(0, tab));
    if (tab == std::string_view::npos) return fields;
    line.remove_prefix(tab + 1);
  }
}

std::optional<std::int64_t> ParseMillis(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || value < 0) return std::nullopt;
  return value;
}

std::string PadRight(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

}  // namespace

std::optional<StageRecord> ParseStageLine(std::string_view line, std::string& error) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  const auto fields = SplitTabs(line);
  if (fields.size() != 4) {
    error = "expected 4 tab-separated fields (name, start ms, end ms, result), got " +
            std::to_string(fields.size());
    return std::nullopt;
  }
  const auto start = ParseMillis(fields[1]);
  const auto end = ParseMillis(fields[2]);
  if (!start || !end) {
    error = "start and end must be whole numbers of milliseconds";
    return std::nullopt;
  }
  if (*end < *start) {
    error = "the stage ends before it starts";
    return std::nullopt;
  }
  return StageRecord{std::string(fields[0]), *start, *end, std::string(fields[3])};
}

std::string FormatDuration(std::int64_t milliseconds) {
  // Rounded to the nearest second: stages take seconds to minutes.
  const std::int64_t seconds = (std::max<std::int64_t>(milliseconds, 0) + 500) / 1000;
  char text[32];
  if (seconds < 60) {
    std::snprintf(text, sizeof text, "%llds", static_cast<long long>(seconds));
  } else if (seconds < 3600) {
    std::snprintf(text, sizeof text, "%lldm %02llds", static_cast<long long>(seconds / 60),
                  static_cast<long long>(seconds % 60));
  } else {
    std::snprintf(text, sizeof text, "%lldh %02lldm %02llds",
                  static_cast<long long>(seconds / 3600),
                  static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60));
  }
  return text;
}

std::string RenderStageTable(const std::vector<StageRecord>& stages) {
  std::size_t name_width = 5;  // "total"
  for (const auto& stage : stages) name_width = std::max(name_width, stage.name.size());
  name_width += 2;
  constexpr std::size_t kTimeWidth = 13;

  std::string table = PadRight("stage", name_width) + PadRight("time", kTimeWidth) + "result\n";
  for (const auto& stage : stages) {
    table += PadRight(stage.name, name_width) +
             PadRight(FormatDuration(stage.end_ms - stage.start_ms), kTimeWidth) + stage.result +
             "\n";
  }
  if (!stages.empty()) {
    std::int64_t first = stages.front().start_ms;
    std::int64_t last = stages.front().end_ms;
    for (const auto& stage : stages) {
      first = std::min(first, stage.start_ms);
      last = std::max(last, stage.end_ms);
    }
    table += PadRight("total", name_width) + FormatDuration(last - first) + "\n";
  }
  return table;
}

}  // namespace hotorder::stage_times
