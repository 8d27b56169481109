#pragma once
// `investigate explain`: the critical path and the culprit, as text or JSON.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/investigate/analysis.hpp"
#include "tools/investigate/trace_model.hpp"

namespace hotorder::investigate {

struct Explanation {
  std::vector<CriticalStep> critical_path;
  std::optional<Culprit> culprit;
};

Explanation Explain(const Trace& trace);

// The attributes worth showing as evidence: db.*, demo.*, http.*, url.*, server.*, error and
// otel.status_description.
bool IsNotableAttribute(std::string_view key);

std::string FormatExplainText(const Trace& trace, const Explanation& explanation);

// The stable shape scripts and tests parse (see `investigate explain --help`), fields in the
// order a person reads them.
nlohmann::ordered_json ExplainJson(const Trace& trace, const Explanation& explanation);

}  // namespace hotorder::investigate
