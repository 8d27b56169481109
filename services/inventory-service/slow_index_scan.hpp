#pragma once
// The slow-index-scan fault: every knob, its default and its meaning, in one place.
//
// The lesson HotOrder teaches: orders get slow, and the trace waterfall shows why within a
// minute — inventory's `db.reserve-stock` span takes the time, and its event
// `slow-index-scan-detected` says the stock lookup stopped using its index (stock_sku_idx).
//
// Three ways to be slow:
//   sleep          the reservation waits `delay_ms` more inside db.reserve-stock: deterministic,
//                  like the classic tutorial; the event's db.rows_scanned is what a full scan of
//                  `stock` would read (Postgres' row estimate), since nothing was really scanned.
//   seqscan        real, per request: the reservation's transaction disables index scans,
//                  Postgres scans the whole `stock` table, and the span reports the plan Postgres
//                  chose and the rows it read (from its own statistics). STOCK_ROWS (the seed
//                  size) decides how slow that is.
//   missing-index  a real incident, for everyone: switching it on drops stock_sku_idx
//                  (DROP INDEX CONCURRENTLY; orders keep flowing), so every reservation reads
//                  the whole table. While it is on, every reservation records the plan and the
//                  rows it read, so the lesson's fix, `CREATE INDEX CONCURRENTLY ON stock(sku);`
//                  typed into `./hotorder psql`, shows in the traces: an index scan and a handful
//                  of rows. Switching the fault off (in any mode) ends with a valid unique
//                  stock_sku_idx again. The index is database state: stock_index.hpp reads it,
//                  and a missing index means this mode is on, whatever the service was told.
//                  `ratio` does not apply: a missing index slows every request.
//
// Knobs. The environment sets them at start-up; the admin API (GET/PUT
// /admin/faults/slow-index-scan) and `./hotorder fault` change them while running:
//   FAULT_SLOW_INDEX_SCAN           on | off                  enabled            (off)
//   FAULT_SLOW_INDEX_SCAN_MODE      sleep | seqscan |         mode               (sleep)
//                                   missing-index
//   FAULT_SLOW_INDEX_SCAN_DELAY_MS  0..60000                  delay_ms (sleep)   (350)
//   FAULT_SLOW_INDEX_SCAN_RATIO     0..1                      ratio              (1)
// `ratio` is the share of reservations slowed while the fault is on, each drawn at random.
//
// Per request: W3C baggage `hotorder.fault=slow-index-scan` slows that request in the current
// mode even while the fault is off, so one workshop attendee can slow only their own orders
// (`./hotorder load --baggage hotorder.fault=slow-index-scan`). An index is there for everyone
// or no one, so in missing-index mode the baggage gets that request seqscan mode instead: the
// same plan, for that request only.

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "config/env.hpp"
#include "telemetry/baggage.hpp"

namespace hotorder::inventory {

enum class FaultMode { kSleep, kSeqScan, kMissingIndex };

struct SlowIndexScanSettings {
  bool enabled = false;
  FaultMode mode = FaultMode::kSleep;
  int delay_ms = 350;
  double ratio = 1.0;
  friend bool operator==(const SlowIndexScanSettings&, const SlowIndexScanSettings&) = default;
};

inline constexpr std::string_view kSlowIndexScan = "slow-index-scan";
inline constexpr int kMaxFaultDelayMs = 60'000;
// The baggage member that opts one request in: hotorder.fault=slow-index-scan.
inline constexpr std::string_view kFaultBaggageKey = "hotorder.fault";
// The index the fault's lesson is about (db/migrations/001).
inline constexpr std::string_view kStockSkuIndex = "stock_sku_idx";

std::string_view FaultModeName(FaultMode mode) noexcept;
std::optional<FaultMode> ParseFaultMode(std::string_view name) noexcept;

// FAULT_SLOW_INDEX_SCAN*; a bad value is a warning on `env` and its default.
SlowIndexScanSettings SlowIndexScanFromEnv(const config::EnvReader& env);

// {"enabled", "mode", "delay_ms", "ratio"}: what GET answers and PUT accepts.
nlohmann::json SlowIndexScanJson(const SlowIndexScanSettings& settings);
// `current` with the fields present in `body` replaced (absent fields keep their value). Throws
// HttpError 400 "invalid_fault" naming the field for anything but an object of known fields
// with valid values, so a bad request changes nothing.
SlowIndexScanSettings ApplySlowIndexScanUpdate(const SlowIndexScanSettings& current,
                                              const nlohmann::json& body);

// Whether one reservation gets the fault, and why (kIndex: missing-index mode, every request).
struct FaultDecision {
  enum class Trigger { kNone, kRatio, kBaggage, kIndex };
  Trigger trigger = Trigger::kNone;
  FaultMode mode = FaultMode::kSleep;
  int delay_ms = 0;
  bool active() const noexcept { return trigger != Trigger::kNone; }
};
std::string_view TriggerName(FaultDecision::Trigger trigger) noexcept;

// Baggage opts a request in whatever the settings say (in seqscan mode when the settings say
// missing-index); otherwise an enabled missing-index fault applies to every request, and an
// enabled sleep or seqscan fault when `uniform` (drawn from [0, 1)) falls below `ratio`.
FaultDecision DecideSlowIndexScan(const SlowIndexScanSettings& settings,
                                  const telemetry::Baggage& baggage, double uniform) noexcept;

}  // namespace hotorder::inventory
