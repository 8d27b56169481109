#include "bench/report/raw_facts.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace hotorder::bench_report {
namespace {

constexpr std::string_view kWhitespace = " \t\r\n";

std::string_view Trim(std::string_view text) {
  auto first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

// The lines of a text, without their line ends.
std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    auto end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

std::vector<std::string_view> Words(std::string_view text) {
  std::vector<std::string_view> words;
  while (true) {
    auto start = text.find_first_not_of(kWhitespace);
    if (start == std::string_view::npos) break;
    text.remove_prefix(start);
    auto end = text.find_first_of(kWhitespace);
    words.push_back(text.substr(0, end));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end);
  }
  return words;
}

std::optional<std::uint64_t> ParseCount(std::string_view text) {
  text = Trim(text);
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  if (text.size() > 19) return std::nullopt;  // beyond what fits without overflow checks
  std::uint64_t value = 0;
  for (char c : text) value = value * 10 + static_cast<std::uint64_t>(c - '0');
  return value;
}

}  // namespace

Figure ParseNumber(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return std::nullopt;
  std::string copy(text);
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(copy.c_str(), &end);
  if (errno != 0 || end != copy.c_str() + copy.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<Facts> ParseFacts(std::string_view text, std::string& error) {
  Facts facts;
  int number = 0;
  for (std::string_view line : Lines(text)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (Trim(line).empty() || line.front() == '#') continue;
    auto equals = line.find('=');
    if (equals == std::string_view::npos || equals == 0) {
      error = "line " + std::to_string(number) + " is not key=value: " + std::string(line);
      return std::nullopt;
    }
    std::string key(line.substr(0, equals));
    if (!facts.emplace(key, std::string(line.substr(equals + 1))).second) {
      error = "line " + std::to_string(number) + ": " + key + " is given twice";
      return std::nullopt;
    }
  }
  return facts;
}

Figure ParseWrkRequestsPerSecond(std::string_view output) {
  constexpr std::string_view kLabel = "Requests/sec:";
  for (std::string_view line : Lines(output)) {
    line = Trim(line);
    if (line.starts_with(kLabel)) return ParseNumber(line.substr(kLabel.size()));
  }
  return std::nullopt;
}

Figure ParseFdatasyncMicros(std::string_view output) {
  // "        fdatasync                          6612.345 ops/sec     151 usecs/op"
  for (std::string_view line : Lines(output)) {
    auto words = Words(line);
    if (words.empty() || words.front() != "fdatasync") continue;
    auto unit = std::find(words.begin(), words.end(), "usecs/op");
    if (unit == words.end() || unit == words.begin() + 1) continue;  // the figure is not out yet
    return ParseNumber(*(unit - 1));
  }
  return std::nullopt;
}

std::optional<std::uint64_t> ParseCpuTicks(std::string_view stat_line) {
  // "1234 (api-gateway) S 1 ...": comm may contain spaces and parentheses, so the fields start
  // after the last ')'. State is field 3, so utime (14) and stime (15) are the 12th and 13th.
  auto paren = stat_line.rfind(')');
  if (paren == std::string_view::npos) return std::nullopt;
  auto fields = Words(stat_line.substr(paren + 1));
  if (fields.size() < 13) return std::nullopt;
  auto utime = ParseCount(fields[11]);
  auto stime = ParseCount(fields[12]);
  if (!utime || !stime) return std::nullopt;
  return *utime + *stime;
}

std::string ParseCpuModel(std::string_view lscpu_output) {
  constexpr std::string_view kLabel = "Model name:";
  for (std::string_view line : Lines(lscpu_output)) {
    if (line.starts_with(kLabel)) return std::string(Trim(line.substr(kLabel.size())));
  }
  return {};
}

std::optional<std::uint64_t> ParseMemTotalKib(std::string_view meminfo) {
  for (std::string_view line : Lines(meminfo)) {
    auto words = Words(line);
    if (words.size() >= 2 && words[0] == "MemTotal:") return ParseCount(words[1]);
  }
  return std::nullopt;
}

std::optional<TracingTotals> ParseTracingTotals(std::string_view log, std::string& error) {
  std::optional<Json> last;
  for (std::string_view line : Lines(log)) {
    if (line.find("\"tracing totals\"") == std::string_view::npos) continue;
    Json parsed = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_object() && parsed.value("msg", "") == "tracing totals") last = std::move(parsed);
  }
  if (!last) {
    error = "no \"tracing totals\" line";
    return std::nullopt;
  }
  TracingTotals totals;
  const std::pair<const char*, std::uint64_t*> fields[] = {
      {"spans_started", &totals.spans_started},     {"spans_ended", &totals.spans_ended},
      {"spans_exported", &totals.spans_exported},   {"spans_dropped", &totals.spans_dropped},
      {"export_requests", &totals.export_requests}, {"export_failures", &totals.export_failures},
  };
  for (const auto& [name, target] : fields) {
    if (!last->contains(name)) continue;
    const Json& value = (*last)[name];
    if (!value.is_number_integer() || value.get<std::int64_t>() < 0) {
      error = std::string("no whole number ") + name + " in: " + last->dump();
      return std::nullopt;
    }
    *target = value.get<std::uint64_t>();
  }
  return totals;
}

TracingTotals& TracingTotals::operator+=(const TracingTotals& other) {
  spans_started += other.spans_started;
  spans_ended += other.spans_ended;
  spans_exported += other.spans_exported;
  spans_dropped += other.spans_dropped;
  export_requests += other.export_requests;
  export_failures += other.export_failures;
  return *this;
}

std::optional<SinkTotals> ParseSinkTotals(std::string_view log) {
  // "floor_chain: shutting down; otlp-sink answered 120 requests with 345678 body bytes"
  std::optional<SinkTotals> totals;
  for (std::string_view line : Lines(log)) {
    auto words = Words(line);
    auto answered = std::find(words.begin(), words.end(), "answered");
    if (answered == words.end() || words.end() - answered < 6 || answered[2] != "requests" ||
        answered[5] != "body") {
      continue;
    }
    auto requests = ParseCount(answered[1]);
    auto bytes = ParseCount(answered[4]);
    if (requests && bytes) totals = SinkTotals{*requests, *bytes};
  }
  return totals;
}

}  // namespace hotorder::bench_report
