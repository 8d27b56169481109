#pragma once
// `investigate kept`: which of the traces a client sent reached Jaeger, per group. The client's
// side of a sampling decision: loadgen --trace-ids writes what was sent, Jaeger says what was
// kept, and the difference is what the pipeline dropped.

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

namespace hotorder::investigate {

struct KeptGroup {
  std::string label;
  std::size_t sent = 0;
  std::size_t kept = 0;
  std::size_t dropped() const noexcept { return sent - kept; }
};

struct IdFileError {
  std::string message;
};

// The trace ids of a loadgen --trace-ids file: the first field of each line after the header,
// lowercased; blank lines skipped. A line whose first field is not a trace id is an error
// naming its line number.
std::variant<std::vector<std::string>, IdFileError> ParseTraceIdFile(std::string_view text);

// LABEL  SENT  KEPT  DROPPED  KEPT%, one row per group.
std::string FormatKeptTable(const std::vector<KeptGroup>& groups);

// {"groups":[{"label","sent","kept","dropped","kept_share"}]}, kept_share 0..1 (0 when none sent).
nlohmann::ordered_json KeptJson(const std::vector<KeptGroup>& groups);

}  // namespace hotorder::investigate
