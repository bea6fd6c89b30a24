// Fuzz target: io/s3_xml.h, the parser of S3's listing pages and error
// bodies (bytes from an HTTP response).
#include "ember/io/s3_xml.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view xml = ember::fuzz::AsView(data, size);
  ember::io::ParseListPage(xml);
  ember::io::ParseErrorBody(xml);
  ember::io::XmlUnescape(xml);
  return 0;
}
