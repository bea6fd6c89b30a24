// AWS Signature Version 4: the Authorization header S3 (and every AWS API)
// checks on each request.
//
// Contract: SignV4 returns the value of the Authorization header for
// `request` as AWS documents it (canonical request -> string to sign ->
// HMAC chain keyed by "AWS4"+secret over date, region, service,
// "aws4_request"). The caller supplies every header it will send that must
// be signed (at least "host" and "x-amz-date"; "x-amz-content-sha256" and
// "x-amz-security-token" for S3), names in any case; they are signed
// lowercased, trimmed and sorted. `canonical_uri` is the path exactly as it
// is sent (already encoded with http_client.h's UrlEncode(path, true));
// query parameters are given raw and encoded here, as SigV4 wants: every
// byte but RFC 3986's unreserved characters as %XX. Pure functions, thread-safe; nothing
// is logged (the secret stays in the caller's Credentials).
#pragma once

#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ember::io {

struct AwsCredentials {
  std::string access_key, secret_key, session_token;
};

using HttpFields = std::vector<std::pair<std::string, std::string>>;

struct SigV4Request {
  std::string method;         // "GET"
  std::string canonical_uri;  // "/bucket/a%20b.txt"
  HttpFields query;           // raw names and values
  HttpFields headers;         // signed headers, as sent
  std::string payload_sha256; // lowercase hex, or "UNSIGNED-PAYLOAD"
};

struct SigV4Scope {
  std::string amz_date;  // "20150830T123600Z", the x-amz-date header's value
  std::string region;    // "us-east-1"
  std::string service;   // "s3"
};

// "a=1&b=x%2Fy": names and values encoded, sorted by name then value.
std::string CanonicalQuery(const HttpFields& query);
// The x-amz-date form of a UTC time: "20150830T123600Z".
std::string AmzDate(std::time_t t);

std::string CanonicalRequest(const SigV4Request& request);
std::string SignV4(const SigV4Request& request, const SigV4Scope& scope, const AwsCredentials& credentials);

}  // namespace ember::io
