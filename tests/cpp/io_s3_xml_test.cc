// io/s3_xml: reading S3's listing pages and error bodies, writing the
// CompleteMultipartUpload request.
#include <gtest/gtest.h>

#include "ember/io/s3_xml.h"

namespace ember::io {
namespace {

TEST(S3Xml, ParsesAListingPageWithContentsPrefixesAndAToken) {
  const char* xml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>d/</Prefix>
<KeyCount>3</KeyCount><MaxKeys>2</MaxKeys><Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>
<Contents><Key>d/a&amp;b.txt</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified><Size>12</Size></Contents>
<Contents><Key>d/c.txt</Key><Size>0</Size></Contents>
<CommonPrefixes><Prefix>d/sub/</Prefix></CommonPrefixes>
<NextContinuationToken>tok+/=</NextContinuationToken></ListBucketResult>)";
  S3ListPage page = ParseListPage(xml);
  ASSERT_EQ(page.objects.size(), 2u);
  EXPECT_EQ(page.objects[0], (std::pair<std::string, int64_t>{"d/a&b.txt", 12}));
  EXPECT_EQ(page.objects[1], (std::pair<std::string, int64_t>{"d/c.txt", 0}));
  EXPECT_EQ(page.prefixes, std::vector<std::string>{"d/sub/"});
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.next_token, "tok+/=");
}

TEST(S3Xml, TheLastPageIsNotTruncated) {
  S3ListPage page = ParseListPage("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>");
  EXPECT_FALSE(page.truncated);
  EXPECT_TRUE(page.objects.empty());
  EXPECT_EQ(page.next_token, "");
}

TEST(S3Xml, ReadsAnErrorsCodeAndMessage) {
  S3ErrorBody error = ParseErrorBody(
      "<?xml version=\"1.0\"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not "
      "exist</Message><BucketName>nb</BucketName></Error>");
  EXPECT_EQ(error.code, "NoSuchBucket");
  EXPECT_EQ(error.message, "The specified bucket does not exist");
  EXPECT_EQ(ParseErrorBody("").code, "");
  // moto (and some S3 implementations) wrap the message in CDATA.
  EXPECT_EQ(ParseErrorBody("<Error><Message><![CDATA[a <b> &amp; c]]></Message></Error>").message, "a <b> &amp; c");
}

TEST(S3Xml, DecodesNamedAndNumericEntities) {
  EXPECT_EQ(XmlUnescape("a&lt;b&gt;&quot;c&apos;&amp;&#65;&#x42;&#xE9;"), "a<b>\"c'&AB\xc3\xa9");
  EXPECT_EQ(XmlUnescape("lone & and &bogus; stay"), "lone & and &bogus; stay");
}

TEST(S3Xml, CompleteUploadListsPartsInOrderWithEscapedEtags) {
  EXPECT_EQ(CompleteUploadXml({"\"e1\"", "\"e2\""}),
            "<CompleteMultipartUpload>"
            "<Part><PartNumber>1</PartNumber><ETag>&quot;e1&quot;</ETag></Part>"
            "<Part><PartNumber>2</PartNumber><ETag>&quot;e2&quot;</ETag></Part>"
            "</CompleteMultipartUpload>");
}

}  // namespace
}  // namespace ember::io
