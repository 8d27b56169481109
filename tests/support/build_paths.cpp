#include "support/build_paths.hpp"

#include <cstdlib>

#if !defined(HOTORDER_SOURCE_DIR) || !defined(HOTORDER_BINARY_DIR)
#error "tests/CMakeLists.txt defines HOTORDER_SOURCE_DIR and HOTORDER_BINARY_DIR for this file"
#endif

namespace hotorder::test {

std::filesystem::path RepoRoot() { return HOTORDER_SOURCE_DIR; }

std::filesystem::path ServicesDir() {
  if (const char* dir = std::getenv("HOTORDER_SERVICES_DIR"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  return std::filesystem::path(HOTORDER_BINARY_DIR) / "services";
}

std::filesystem::path ServiceExecutable(const std::string& service) {
  return ServicesDir() / service;
}

std::filesystem::path LoadgenExecutable() {
  return std::filesystem::path(HOTORDER_BINARY_DIR) / "loadgen" / "loadgen";
}

std::filesystem::path InvestigateExecutable() {
  return std::filesystem::path(HOTORDER_BINARY_DIR) / "tools" / "investigate" / "investigate";
}

std::filesystem::path BenchExecutable(const std::string& name) {
  return std::filesystem::path(HOTORDER_BINARY_DIR) / "bench" / name;
}

}  // namespace hotorder::test
