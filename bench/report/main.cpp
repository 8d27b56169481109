// bench_report: the figures of `./hotorder bench system` (see system_report.hpp).
//
//   bench_report run NAME REPORT.json   one line about a loadgen run; exit 1 when it has no
//                                       successful request (or no readable report)
//   bench_report wrk OUTPUT.txt         wrk's req/s; exit 1 when its output has none
//   bench_report report RUN_DIR --json FILE --markdown FILE [--strict]
//                                       system.json and the Markdown from the raw facts in RUN_DIR;
//                                       exit 1 when they cannot be produced, and with --strict
//                                       also when any figure is missing
//
// RUN_DIR holds what scripts/bench-system.sh recorded: facts.env (key=value), lscpu.txt,
// meminfo.txt, pg_test_fsync.log, <run>.json (loadgen --json), wrk-<round>.txt, otlp-sink.log
// and logs/<phase>/<service>.log for each traced phase (sink-1, collector-1, ...).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench/report/markdown.hpp"
#include "bench/report/system_report.hpp"

namespace {

namespace fs = std::filesystem;
namespace br = hotorder::bench_report;

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream input(path, std::ios::binary);
  if (!input) return std::nullopt;
  std::ostringstream text;
  text << input.rdbuf();
  return text.str();
}

bool WriteFile(const fs::path& path, const std::string& text) {
  std::error_code error;
  if (path.has_parent_path()) fs::create_directories(path.parent_path(), error);
  // Written next to the target and renamed over it, so a reader never sees half a file.
  fs::path temporary = path;
  temporary += ".tmp";
  {
    std::ofstream output(temporary, std::ios::binary | std::ios::trunc);
    if (!output || !(output << text) || !output.flush()) return false;
  }
  fs::rename(temporary, path, error);
  return !error;
}

int Usage() {
  std::cerr << "usage: bench_report run NAME REPORT.json\n"
               "       bench_report wrk OUTPUT.txt\n"
               "       bench_report report RUN_DIR --json FILE --markdown FILE [--strict]\n";
  return 2;
}

std::optional<br::Json> ReadJson(const fs::path& path) {
  auto text = ReadFile(path);
  if (!text) return std::nullopt;
  br::Json json = br::Json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return std::nullopt;
  return json;
}

int RunCommand(const std::string& name, const fs::path& path) {
  auto report = ReadJson(path);
  if (!report || !report->is_object()) {
    std::cerr << "bench_report: loadgen run '" << name << "' left no readable report (" << path.string() << ")\n";
    return 1;
  }
  std::cout << "    " << br::RunSummaryLine(*report) << "\n";
  if (br::SuccessfulRequests(*report) == 0) {
    std::cerr << "bench_report: loadgen run '" << name << "' had no successful request\n";
    return 1;
  }
  return 0;
}

int WrkCommand(const fs::path& path) {
  auto output = ReadFile(path);
  auto rps = output ? br::ParseWrkRequestsPerSecond(*output) : std::nullopt;
  if (!rps) {
    std::cerr << "bench_report: no Requests/sec in wrk's output (" << path.string() << ")\n";
    return 1;
  }
  std::cout << "    " << static_cast<long long>(*rps) << " req/s\n";
  return 0;
}

int ReportCommand(const std::vector<std::string>& args) {
  fs::path run_dir, json_path, markdown_path;
  bool strict = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--strict") {
      strict = true;
    } else if ((args[i] == "--json" || args[i] == "--markdown") && i + 1 < args.size()) {
      (args[i] == "--json" ? json_path : markdown_path) = args[i + 1];
      ++i;
    } else if (run_dir.empty() && !args[i].starts_with("--")) {
      run_dir = args[i];
    } else {
      return Usage();
    }
  }
  if (run_dir.empty() || json_path.empty() || markdown_path.empty()) return Usage();

  br::Inputs inputs;
  std::vector<std::string> errors;
  auto facts_text = ReadFile(run_dir / "facts.env");
  if (!facts_text) {
    std::cerr << "bench_report: cannot read " << (run_dir / "facts.env").string() << "\n";
    return 1;
  }
  std::string error;
  auto facts = br::ParseFacts(*facts_text, error);
  if (!facts) {
    std::cerr << "bench_report: " << (run_dir / "facts.env").string() << ": " << error << "\n";
    return 1;
  }
  inputs.facts = std::move(*facts);

  auto count_fact = [&](const char* key) {
    auto found = inputs.facts.find(key);
    return found == inputs.facts.end() ? 0 : std::atoi(found->second.c_str());
  };
  const int rounds = count_fact("rounds");
  const int compare_rounds = count_fact("compare_rounds");
  // A missing report or output is BuildReport's to name; one that is there but unreadable, ours.
  for (const auto& name : br::RunNames(rounds, compare_rounds)) {
    fs::path path = run_dir / (name + ".json");
    if (!fs::exists(path)) continue;
    if (auto report = ReadJson(path)) {
      inputs.runs[name] = std::move(*report);
    } else {
      errors.push_back("the loadgen report " + path.string() + " is not JSON");
    }
  }
  for (int round = 1; round <= compare_rounds; ++round) {
    if (auto output = ReadFile(run_dir / ("wrk-" + std::to_string(round) + ".txt"))) {
      inputs.wrk_outputs.push_back(std::move(*output));
    }
  }
  inputs.pg_test_fsync_output = ReadFile(run_dir / "pg_test_fsync.log").value_or("");
  inputs.lscpu_output = ReadFile(run_dir / "lscpu.txt").value_or("");
  inputs.meminfo = ReadFile(run_dir / "meminfo.txt").value_or("");
  inputs.sink_log = ReadFile(run_dir / "otlp-sink.log").value_or("");
  for (int round = 1; round <= rounds; ++round) {
    for (const auto& system : br::SystemNames()) {
      if (!br::IsTraced(system)) continue;
      const std::string phase = br::PhaseName(system, round);
      for (const auto& service : br::ServiceNames()) {
        if (auto log = ReadFile(run_dir / "logs" / phase / (service + ".log"))) {
          inputs.service_logs[phase][service] = std::move(*log);
        }
      }
    }
  }

  br::Report report = br::BuildReport(inputs);
  errors.insert(errors.end(), report.errors.begin(), report.errors.end());
  for (const auto& warning : report.warnings) std::cerr << "bench_report: warning: " << warning << "\n";
  if (!errors.empty()) {
    for (const auto& message : errors) std::cerr << "bench_report: " << message << "\n";
    std::cerr << "bench_report: no report written\n";
    return 1;
  }
  if (strict) {
    auto missing = br::MissingFigures(report.system);
    if (!missing.empty()) {
      std::cerr << "bench_report: figures without a value (a complete run has every one):";
      for (const auto& pointer : missing) std::cerr << " " << pointer;
      std::cerr << "\n";
      // Still written, for finding out why.
      WriteFile(json_path, report.system.dump(2) + "\n");
      return 1;
    }
  }
  if (!WriteFile(json_path, report.system.dump(2) + "\n")) {
    std::cerr << "bench_report: cannot write " << json_path.string() << "\n";
    return 1;
  }
  if (!WriteFile(markdown_path, br::RenderMarkdown(report.system))) {
    std::cerr << "bench_report: cannot write " << markdown_path.string() << "\n";
    return 1;
  }
  std::cout << br::RenderSummary(report.system);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return Usage();
  const std::string command = args.front();
  args.erase(args.begin());
  if (command == "run" && args.size() == 2) return RunCommand(args[0], args[1]);
  if (command == "wrk" && args.size() == 1) return WrkCommand(args[0]);
  if (command == "report") return ReportCommand(args);
  return Usage();
}
