#include "ember/net/bind_policy.h"

#include <arpa/inet.h>

#include <cstring>
#include <string>

namespace ember::net {

namespace {

bool EqualsIgnoringCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;
  }
  return true;
}

bool IsLoopbackIPv6(const in6_addr& addr) {
  static const unsigned char kLoopback[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  static const unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(addr.s6_addr, kLoopback, 16) == 0) return true;
  return std::memcmp(addr.s6_addr, kMappedPrefix, 12) == 0 && addr.s6_addr[12] == 127;
}

}  // namespace

bool IsLoopbackHost(std::string_view host) {
  if (EqualsIgnoringCase(host, "localhost")) return true;
  bool bracketed = host.size() >= 2 && host.front() == '[' && host.back() == ']';
  if (bracketed) host = host.substr(1, host.size() - 2);  // brackets enclose IPv6 only
  std::string text(host);  // inet_pton needs a terminated string
  in_addr v4;
  if (!bracketed && ::inet_pton(AF_INET, text.c_str(), &v4) == 1)
    return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6;
  return ::inet_pton(AF_INET6, text.c_str(), &v6) == 1 && IsLoopbackIPv6(v6);
}

}  // namespace ember::net
