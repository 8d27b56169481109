// loadgen: parse options → run → report. Exit 0 after a completed or interrupted run, 1 when the
// run could not happen (unreachable target, unwritable output), 2 on a usage error.

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <variant>

#include "config/env.hpp"
#include "loadgen/engine.hpp"
#include "loadgen/options.hpp"
#include "loadgen/report.hpp"
#include "telemetry/tracing_setup.hpp"

namespace {

using namespace hotorder;
using namespace hotorder::loadgen;

constexpr std::string_view kVersion = "0.1.0";
// Spans still queued at the end get this long to reach the collector.
constexpr std::chrono::seconds kFlushTimeout{5};

bool WriteFile(const std::string& path, const std::string& content) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!file) {
    std::cerr << "loadgen: cannot write " << path << ": " << std::strerror(errno) << "\n";
    return false;
  }
  file << content;
  file.close();
  if (!file) {
    std::cerr << "loadgen: cannot write " << path << "\n";
    return false;
  }
  return true;
}

int Run(const Options& options) {
  std::optional<telemetry::Tracing> tracing;
  RunHooks hooks;
  hooks.handle_signals = true;
  if (options.trace) {
    config::EnvReader env(config::ProcessEnv());
    tracing = telemetry::InitTracing(env, "loadgen", kVersion);
    for (const std::string& warning : env.Warnings()) std::cerr << "loadgen: " << warning << "\n";
    hooks.tracer = &tracing->provider->GetTracer("loadgen", kVersion);
    hooks.propagator = tracing->propagator.get();
  }

  // True while a progress line is on screen without its newline.
  bool line_open = false;
  const bool progress = options.progress.value_or(isatty(STDERR_FILENO) == 1);
  if (progress) {
    const double target_rps = options.mode == LoopMode::kOpen ? options.rate : 0;
    hooks.on_interval = [&line_open, target_rps](const IntervalStats& interval) {
      // "\r" and clear-to-end-of-line: one line that updates in place.
      const std::string line = "\r" + FormatProgressLine(interval, target_rps) + "\x1b[K";
      std::fwrite(line.data(), 1, line.size(), stderr);
      std::fflush(stderr);
      line_open = true;
    };
  }
  hooks.on_draining = [&line_open, &options](std::size_t in_flight) {
    if (line_open) std::fputs("\n", stderr);
    line_open = false;
    std::cerr << "loadgen: stopping; waiting up to " << options.timeout.count() << " ms for "
              << in_flight << " request(s) in flight (Ctrl-C again to quit now)\n";
  };

  RunResult result = RunLoad(options, hooks);
  if (line_open) std::fputs("\n", stderr);
  if (tracing) tracing->provider->Shutdown(kFlushTimeout);

  if (!result.fatal_error.empty()) {
    std::cerr << "loadgen: " << result.fatal_error << "\n";
    return EXIT_FAILURE;
  }
  std::cout << FormatTextReport(result.facts, result.totals, options.jaeger_ui_url) << std::flush;
  bool written = true;
  if (!options.json_path.empty()) {
    written &= WriteFile(options.json_path,
                         FormatJsonReport(result.facts, result.totals, options.jaeger_ui_url));
  }
  if (!options.csv_path.empty()) {
    written &= WriteFile(options.csv_path, FormatCsvIntervals(result.intervals));
  }
  if (!options.trace_ids_path.empty()) {
    written &= WriteFile(options.trace_ids_path, FormatTraceIds(result.totals.every_request));
  }
  return written ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace

int main(int argc, char** argv) {
  const char* jaeger_ui_url = std::getenv("JAEGER_UI_URL");
  auto parsed = ParseOptions(argc, argv, jaeger_ui_url != nullptr ? jaeger_ui_url : "");
  if (std::holds_alternative<HelpRequested>(parsed)) {
    std::cout << UsageText();
    return EXIT_SUCCESS;
  }
  if (const auto* error = std::get_if<UsageError>(&parsed)) {
    std::cerr << "loadgen: " << error->message << "\n\n" << UsageText();
    return 2;
  }
  try {
    return Run(std::get<Options>(parsed));
  } catch (const std::exception& error) {
    std::cerr << "loadgen: " << error.what() << "\n";
    return EXIT_FAILURE;
  }
}
