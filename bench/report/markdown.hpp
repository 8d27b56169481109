#pragma once
// bench/results.md and the console summary of `./hotorder bench system`, from system.json
// (system_report.hpp): presentation only, every figure is computed there.

#include <string>

#include "bench/report/figures.hpp"

namespace hotorder::bench_report {

// bench/results.md (or results-quick.md for a --quick run).
std::string RenderMarkdown(const Json& system);
// A few lines for the console: each judged figure with its verdict.
std::string RenderSummary(const Json& system);

}  // namespace hotorder::bench_report
