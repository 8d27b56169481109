#pragma once
// Postgres array literals ('{"a","b"}', '{1,2}') for passing a list as one statement parameter
// ($2::text[]): libpqxx 6.4 has no conversion for containers. One parameter instead of one
// statement per element keeps a multi-item order at one round trip.

#include <string>
#include <vector>

namespace hotorder::db {

inline std::string TextArrayLiteral(const std::vector<std::string>& values) {
  std::string literal = "{";
  for (const auto& value : values) {
    if (literal.size() > 1) literal += ',';
    literal += '"';
    for (char c : value) {
      if (c == '"' || c == '\\') literal += '\\';
      literal += c;
    }
    literal += '"';
  }
  return literal + "}";
}

inline std::string IntArrayLiteral(const std::vector<int>& values) {
  std::string literal = "{";
  for (int value : values) {
    if (literal.size() > 1) literal += ',';
    literal += std::to_string(value);
  }
  return literal + "}";
}

}  // namespace hotorder::db
