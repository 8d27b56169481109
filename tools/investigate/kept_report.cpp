#include "tools/investigate/kept_report.hpp"

#include <cstdio>

#include "tools/investigate/options.hpp"
#include "tools/investigate/text.hpp"

namespace hotorder::investigate {
namespace {

double KeptShare(const KeptGroup& group) {
  return group.sent == 0 ? 0.0 : static_cast<double>(group.kept) / static_cast<double>(group.sent);
}

}  // namespace

std::variant<std::vector<std::string>, IdFileError> ParseTraceIdFile(std::string_view text) {
  std::vector<std::string> ids;
  std::size_t line_number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_number == 1 || line.empty()) continue;  // the header
    const auto field = line.substr(0, line.find_first_of("\t ,"));
    auto id = NormalizeTraceId(field);
    if (!id) {
      return IdFileError{"line " + std::to_string(line_number) + ": \"" + std::string(field) +
                         "\" is not a trace id"};
    }
    ids.push_back(std::move(*id));
  }
  return ids;
}

std::string FormatKeptTable(const std::vector<KeptGroup>& groups) {
  std::string out = Fit("GROUP", 16) + PadLeft("SENT", 7) + PadLeft("KEPT", 7) +
                    PadLeft("DROPPED", 9) + PadLeft("KEPT%", 8) + "\n";
  for (const auto& group : groups) {
    char share[16];
    std::snprintf(share, sizeof share, "%.0f%%", KeptShare(group) * 100);
    out += Fit(group.label, 16) + PadLeft(std::to_string(group.sent), 7) +
           PadLeft(std::to_string(group.kept), 7) + PadLeft(std::to_string(group.dropped()), 9) +
           PadLeft(share, 8) + "\n";
  }
  return out;
}

nlohmann::ordered_json KeptJson(const std::vector<KeptGroup>& groups) {
  auto list = nlohmann::ordered_json::array();
  for (const auto& group : groups) {
    list.push_back({{"label", group.label},
                    {"sent", group.sent},
                    {"kept", group.kept},
                    {"dropped", group.dropped()},
                    {"kept_share", KeptShare(group)}});
  }
  return {{"groups", list}};
}

}  // namespace hotorder::investigate
