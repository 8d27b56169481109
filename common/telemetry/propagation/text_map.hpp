#pragma once
// Carriers and the propagator interface (OpenTelemetry TextMapPropagator).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "telemetry/context.hpp"

namespace hotorder::telemetry {

// Reads headers from an incoming request. Keys are matched case-insensitively (HTTP). A header
// may appear several times; all values are returned in order.
class TextMapReader {
 public:
  virtual ~TextMapReader() = default;
  virtual std::vector<std::string_view> GetAll(std::string_view key) const = 0;
};

// Writes headers to an outgoing request, replacing an existing header of the same name.
class TextMapWriter {
 public:
  virtual ~TextMapWriter() = default;
  virtual void Set(std::string_view key, std::string_view value) = 0;
};

class TextMapPropagator {
 public:
  TextMapPropagator() = default;
  TextMapPropagator(const TextMapPropagator&) = delete;
  TextMapPropagator& operator=(const TextMapPropagator&) = delete;
  virtual ~TextMapPropagator() = default;

  // Returns `context` with what this format found in the carrier; on a missing or invalid
  // header the corresponding part of `context` is left as it was. Never throws.
  virtual Context Extract(const TextMapReader& carrier, Context context) const noexcept = 0;
  // Writes this format's headers for `context`; writes nothing for an invalid span context.
  virtual void Inject(const Context& context, TextMapWriter& carrier) const noexcept = 0;
  // The header names this propagator reads and writes (lowercase).
  virtual std::vector<std::string> Fields() const = 0;
};

// A plain header list usable as both reader and writer; used by tests and by clients that build
// requests before handing them to a transport.
class HeaderMap final : public TextMapReader, public TextMapWriter {
 public:
  HeaderMap() = default;
  HeaderMap(std::initializer_list<std::pair<std::string, std::string>> headers);

  std::vector<std::string_view> GetAll(std::string_view key) const override;
  void Set(std::string_view key, std::string_view value) override;
  void Add(std::string_view key, std::string_view value);

  const std::vector<std::pair<std::string, std::string>>& items() const noexcept {
    return items_;
  }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

}  // namespace hotorder::telemetry
