#pragma once
// Runs a parsed command against Jaeger and prints its result: the part of investigate between
// the command line and the renderers. Returns the process exit code.

#include <chrono>
#include <ostream>

#include "tools/investigate/options.hpp"

namespace hotorder::investigate {

inline constexpr int kExitOk = 0;
inline constexpr int kExitJaegerError = 1;  // unreachable, or a bad answer
inline constexpr int kExitUsage = 2;
inline constexpr int kExitNotFound = 3;

// How often --wait asks Jaeger again.
inline constexpr std::chrono::milliseconds kPollInterval{250};
// With --wait, a found trace is fetched again until its span count has not changed for
// kSettleTime and it has one true root and no span misses its parent, or, for a trace that never
// looks whole (its root continues a caller's traceparent), until the count has held for
// kSettleTimeIncomplete; and never past the wait. Services export their spans in separate
// batches (the native stack's OTEL_BSP_SCHEDULE_DELAY is 1 s), so the first answer can be a
// part of the trace.
inline constexpr std::chrono::milliseconds kSettleTime{1500};
inline constexpr std::chrono::milliseconds kSettleTimeIncomplete{4000};
// find's list settles the same way, but traffic keeps changing it: it is shown at the latest
// this long after it first named a trace.
inline constexpr std::chrono::milliseconds kSearchSettleLimit{6000};

// Results go to `out`, the one-line errors ("investigate: ...") to `err`.
int RunCommand(const Options& options, std::ostream& out, std::ostream& err);

}  // namespace hotorder::investigate
