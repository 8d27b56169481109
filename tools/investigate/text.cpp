#include "tools/investigate/text.hpp"

#include <cstdio>
#include <ctime>

namespace hotorder::investigate {

std::string Fit(std::string_view text, std::size_t width) {
  if (text.size() <= width) {
    std::string fitted(text);
    fitted.append(width - text.size(), ' ');
    return fitted;
  }
  if (width <= 3) return std::string(text.substr(0, width));
  return std::string(text.substr(0, width - 3)) + "...";
}

std::string PadLeft(std::string_view text, std::size_t width) {
  if (text.size() >= width) return std::string(text);
  return std::string(width - text.size(), ' ') + std::string(text);
}

namespace {

std::string OneLine(std::string_view text) {
  std::string line;
  bool in_space = false;
  for (const char c : text) {
    const bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    if (space && !in_space && !line.empty()) line += ' ';
    if (!space) line += c;
    in_space = space;
  }
  if (!line.empty() && line.back() == ' ') line.pop_back();
  if (line.size() > kMaxValueWidth) line = line.substr(0, kMaxValueWidth - 3) + "...";
  return line;
}

}  // namespace

std::string FormatAttributes(const std::vector<Attribute>& attributes) {
  std::string line;
  for (const Attribute& attribute : attributes) {
    if (!line.empty()) line += ' ';
    std::string value = OneLine(DisplayValue(attribute.value));
    const bool needs_quotes = attribute.value.is_string() &&
                              (value.empty() || value.find_first_of(" \"=") != std::string::npos);
    if (needs_quotes) value = nlohmann::json(value).dump();
    line += attribute.key + "=" + value;
  }
  return line;
}

std::string FormatClockTime(std::int64_t epoch_us) {
  const std::time_t seconds = static_cast<std::time_t>(epoch_us / 1'000'000);
  const long millis = static_cast<long>((epoch_us % 1'000'000) / 1000);
  std::tm local{};
  localtime_r(&seconds, &local);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d:%02d.%03ld", local.tm_hour, local.tm_min,
                local.tm_sec, millis);
  return buffer;
}

std::string SpanLabel(const Span& span) { return span.service + ": " + span.operation; }

}  // namespace hotorder::investigate
