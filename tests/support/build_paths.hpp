#pragma once
// Where the tests find the repository and the programs this build made. The absolute paths are
// compiled into build_paths.cpp alone (CMake sets them on that one file), so every other test
// source compiles to the same object in any clone and the compiler cache can share it.

#include <filesystem>
#include <string>

namespace hotorder::test {

// The repository root (the source tree CMake configured).
std::filesystem::path RepoRoot();
// The build tree's folder of service executables; HOTORDER_SERVICES_DIR in the environment
// overrides it.
std::filesystem::path ServicesDir();
std::filesystem::path ServiceExecutable(const std::string& service);
std::filesystem::path LoadgenExecutable();
std::filesystem::path InvestigateExecutable();
// A program of bench/ ("order_trace_cost").
std::filesystem::path BenchExecutable(const std::string& name);

}  // namespace hotorder::test
