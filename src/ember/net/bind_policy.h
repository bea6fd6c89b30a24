// Which addresses ember may listen on without spark.authenticate.
//
// Contract: IsLoopbackHost is true exactly for hosts that can only be
// reached from this machine: "localhost" (any letter case), IPv4
// 127.0.0.0/8, IPv6 ::1 and IPv4-mapped ::ffff:127.x.y.z (IPv6 forms may
// be written in brackets). Everything else is false, including the
// wildcards "0.0.0.0" and "::", the empty string, and other host names (a
// name's resolution can change, so only "localhost" is trusted by name).
// Pure function, thread-safe; the engine decides what to refuse.
#pragma once

#include <string_view>

namespace ember::net {

bool IsLoopbackHost(std::string_view host);

}  // namespace ember::net
