// io/sigv4: AWS Signature Version 4 against the examples AWS publishes
// (the SigV4 test suite's get-vanilla, the IAM ListUsers walkthrough and
// S3's GET-object example), plus the encoding rules they rest on.
#include <gtest/gtest.h>

#include "ember/io/http_client.h"
#include "ember/io/sigv4.h"

namespace ember::io {
namespace {

const AwsCredentials kSuiteKeys{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
constexpr char kEmptySha256[] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

TEST(SigV4, SignsTheTestSuitesGetVanilla) {
  SigV4Request request{"GET", "/", {}, {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}},
                       kEmptySha256};
  EXPECT_EQ(CanonicalRequest(request),
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" +
                std::string(kEmptySha256));
  EXPECT_EQ(SignV4(request, {"20150830T123600Z", "us-east-1", "service"}, kSuiteKeys),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
            "SignedHeaders=host;x-amz-date, "
            "Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

TEST(SigV4, SignsTheIamListUsersExampleWithAQueryString) {
  SigV4Request request{"GET",
                       "/",
                       {{"Version", "2010-05-08"}, {"Action", "ListUsers"}},
                       {{"content-type", "application/x-www-form-urlencoded; charset=utf-8"},
                        {"host", "iam.amazonaws.com"},
                        {"x-amz-date", "20150830T123600Z"}},
                       kEmptySha256};
  EXPECT_EQ(SignV4(request, {"20150830T123600Z", "us-east-1", "iam"}, kSuiteKeys),
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
            "SignedHeaders=content-type;host;x-amz-date, "
            "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST(SigV4, SignsS3sGetObjectExample) {
  AwsCredentials keys{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
  SigV4Request request{"GET",
                       "/test.txt",
                       {},
                       {{"Host", "examplebucket.s3.amazonaws.com"},
                        {"Range", "bytes=0-9"},
                        {"x-amz-content-sha256", kEmptySha256},
                        {"x-amz-date", "20130524T000000Z"}},
                       kEmptySha256};
  EXPECT_EQ(SignV4(request, {"20130524T000000Z", "us-east-1", "s3"}, keys),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, KeysEncodeAsSigV4WantsThem) {
  EXPECT_EQ(UrlEncode("a b/c~d_e.f-g+h=", true), "a%20b/c~d_e.f-g%2Bh%3D");
  EXPECT_EQ(UrlEncode("dir/x", false), "dir%2Fx");
  EXPECT_EQ(UrlEncode("\xc3\xa9", true), "%C3%A9");
}

TEST(SigV4, CanonicalQuerySortsAndEncodesNamesAndValues) {
  EXPECT_EQ(CanonicalQuery({{"prefix", "a/b c"}, {"list-type", "2"}, {"uploads", ""}}),
            "list-type=2&prefix=a%2Fb%20c&uploads=");
}

TEST(SigV4, AmzDateIsUtcBasicFormat) { EXPECT_EQ(AmzDate(1440938160), "20150830T123600Z"); }

}  // namespace
}  // namespace ember::io
