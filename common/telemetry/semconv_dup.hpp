#pragma once
// The semantic-conventions migration switch, OTEL_SEMCONV_STABILITY_OPT_IN: with "http/dup"
// and "database/dup", spans carry the attribute names from before the HTTP and database
// conventions became stable (http.method, http.status_code, db.system, db.name, db.statement,
// ...) beside the stable ones. Tutorials and saved searches written for the older names
// (a Jaeger tag search `db.system=postgresql`) then find HotOrder's traces. Stable names alone
// stay the default.
//
// Pure: parsing the switch, and adding the older names to a finished span. The mapping is the
// spec's migration tables (semantic conventions, HTTP and database migration guides), for the
// attributes HotOrder records.

#include <string>
#include <string_view>

#include "telemetry/attributes.hpp"
#include "telemetry/span_data.hpp"

namespace hotorder::telemetry {

struct SemconvOptIn {
  bool http_dup = false;      // "http/dup"
  bool database_dup = false;  // "database/dup"
  bool any() const noexcept { return http_dup || database_dup; }
  friend bool operator==(const SemconvOptIn&, const SemconvOptIn&) = default;
};

// The comma-separated OTEL_SEMCONV_STABILITY_OPT_IN value. "http" and "database" (stable names
// only) are what HotOrder does anyway; unknown entries are ignored, as the spec asks of
// instrumentations that do not know them.
SemconvOptIn ParseSemconvOptIn(std::string_view value) noexcept;

// "http/dup,database/dup", "http/dup", ... or "" (stable names only): for the start-up log line.
std::string SemconvOptInName(const SemconvOptIn& opt_in);

// Adds to `span` the older name of each stable attribute it carries, for the domains opted in:
// HTTP names on spans with http.request.method, database names on spans with db.system.name.
// Names the span already has are left alone; `limits` applies as to any attribute.
void AddOldSemconvNames(SpanData& span, const SemconvOptIn& opt_in, const AttributeLimits& limits);

}  // namespace hotorder::telemetry
