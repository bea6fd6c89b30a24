#include "ember/io/sigv4.h"

#include <algorithm>
#include <cctype>

#include "ember/common/crypto.h"
#include "ember/io/http_client.h"

namespace ember::io {
namespace {

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return "";
  size_t e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Sorted lowercase (name, trimmed value) pairs: the canonical header order.
HttpFields CanonicalHeaders(const HttpFields& headers) {
  HttpFields out;
  for (const auto& [name, value] : headers) out.emplace_back(Lower(name), Trim(value));
  std::sort(out.begin(), out.end());
  return out;
}

std::string SignedHeaderNames(const HttpFields& canonical) {
  std::string names;
  for (const auto& [name, value] : canonical) names += (names.empty() ? "" : ";") + name;
  return names;
}

}  // namespace

std::string CanonicalQuery(const HttpFields& query) {
  HttpFields encoded;
  for (const auto& [name, value] : query) encoded.emplace_back(UrlEncode(name, false), UrlEncode(value, false));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) out += (out.empty() ? "" : "&") + name + "=" + value;
  return out;
}

std::string AmzDate(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

std::string CanonicalRequest(const SigV4Request& request) {
  HttpFields headers = CanonicalHeaders(request.headers);
  std::string header_block;
  for (const auto& [name, value] : headers) header_block += name + ":" + value + "\n";
  return request.method + "\n" + request.canonical_uri + "\n" + CanonicalQuery(request.query) + "\n" +
         header_block + "\n" + SignedHeaderNames(headers) + "\n" + request.payload_sha256;
}

std::string SignV4(const SigV4Request& request, const SigV4Scope& scope, const AwsCredentials& credentials) {
  std::string date = scope.amz_date.substr(0, 8);
  std::string credential_scope = date + "/" + scope.region + "/" + scope.service + "/aws4_request";
  std::string string_to_sign = "AWS4-HMAC-SHA256\n" + scope.amz_date + "\n" + credential_scope + "\n" +
                               ToHex(Sha256(CanonicalRequest(request)));
  std::string key = HmacSha256("AWS4" + credentials.secret_key, date);
  key = HmacSha256(key, scope.region);
  key = HmacSha256(key, scope.service);
  key = HmacSha256(key, "aws4_request");
  return "AWS4-HMAC-SHA256 Credential=" + credentials.access_key + "/" + credential_scope +
         ", SignedHeaders=" + SignedHeaderNames(CanonicalHeaders(request.headers)) +
         ", Signature=" + ToHex(HmacSha256(key, string_to_sign));
}

}  // namespace ember::io
