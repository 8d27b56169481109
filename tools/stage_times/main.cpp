// stage-times FILE: prints the stage table of `./hotorder test` from the records in FILE.
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "tools/stage_times/stage_times.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: stage-times FILE   (lines: name<TAB>start ms<TAB>end ms<TAB>result)\n";
    return 2;
  }
  std::ifstream input(argv[1]);
  if (!input) {
    std::cerr << "stage-times: cannot read " << argv[1] << "\n";
    return 1;
  }
  std::vector<hotorder::stage_times::StageRecord> stages;
  std::string line;
  for (int number = 1; std::getline(input, line); ++number) {
    if (line.empty()) continue;
    std::string error;
    auto record = hotorder::stage_times::ParseStageLine(line, error);
    if (!record) {
      std::cerr << "stage-times: " << argv[1] << ":" << number << ": " << error << "\n";
      return 1;
    }
    stages.push_back(std::move(*record));
  }
  std::cout << hotorder::stage_times::RenderStageTable(stages);
  return 0;
}
