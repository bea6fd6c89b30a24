// The little XML S3 speaks: listing pages, error bodies, the multipart
// upload id and the CompleteMultipartUpload request.
//
// Contract: parsing is deliberately minimal — S3's responses are flat,
// generated documents, so elements are found by tag name (no attributes
// on the tags read here, no nesting of a tag inside itself) and their text
// is entity-decoded (&amp; &lt; &gt; &quot; &apos; &#N; &#xN;) and CDATA
// sections are taken as they are. A missing
// element reads as "". Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ember::io {

// The raw inner text of every <tag>...</tag> in `xml`, in order.
std::vector<std::string_view> XmlElements(std::string_view xml, std::string_view tag);
// The decoded text of the first <tag>, or "".
std::string XmlText(std::string_view xml, std::string_view tag);
std::string XmlUnescape(std::string_view text);
std::string XmlEscape(std::string_view text);

// One page of ListObjectsV2.
struct S3ListPage {
  std::vector<std::pair<std::string, int64_t>> objects;  // key, size
  std::vector<std::string> prefixes;                      // CommonPrefixes, with their '/'
  bool truncated = false;
  std::string next_token;  // NextContinuationToken when truncated
};
S3ListPage ParseListPage(std::string_view xml);

// <Error><Code>NoSuchKey</Code><Message>...</Message></Error>.
struct S3ErrorBody {
  std::string code, message;
};
S3ErrorBody ParseErrorBody(std::string_view xml);

// The body of CompleteMultipartUpload for parts 1..N with these ETags.
std::string CompleteUploadXml(const std::vector<std::string>& etags);

}  // namespace ember::io
