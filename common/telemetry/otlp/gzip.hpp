#pragma once
// gzip (RFC 1952) for OTLP/HTTP bodies: the spec lets a client gzip a request when it sends
// "Content-Encoding: gzip". Buffers are caller-owned so an exporter can reuse their capacity.

#include <cstddef>
#include <string>
#include <string_view>

namespace hotorder::telemetry::otlp {

// Replaces `out` with the gzip member holding `input`. False (and `out` cleared) when zlib or
// memory fails.
bool GzipCompress(std::string_view input, std::string& out) noexcept;

// Replaces `out` with the data of the gzip stream `input` (concatenated members included, as
// RFC 1952 allows). False (and `out` cleared) when the input is not complete, valid gzip or
// inflates to more than `max_output` bytes, which bounds what a hostile peer can make us allocate.
bool GzipDecompress(std::string_view input, std::string& out,
                    std::size_t max_output = static_cast<std::size_t>(-1)) noexcept;

}  // namespace hotorder::telemetry::otlp
