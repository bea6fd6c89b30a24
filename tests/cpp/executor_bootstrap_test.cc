// The executor's stdin bootstrap: what the launcher writes is what the
// executor reads, the stream stops right after it, and bad input is refused.
#include "ember/deploy/executor_bootstrap.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

namespace ember::deploy {
namespace {

std::string Written(const std::string& secret, const Conf& conf, Status* st) {
  int fds[2];
  EXPECT_EQ(::pipe(fds), 0);
  *st = WriteBootstrap(fds[1], secret, conf);
  ::close(fds[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  return text;
}

TEST(ExecutorBootstrap, CarriesTheSecretAndOnlyTheTlsSettings) {
  Status st;
  std::string text = Written("s3cret", {{"spark.ssl.enabled", "false"},
                                        {"spark.ssl.rpc.protocol", "TLSv1.3"},
                                        {"spark.app.name", "not this"}},
                             &st);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(text, "s3cret\nspark.ssl.enabled=false\nspark.ssl.rpc.protocol=TLSv1.3\n\n");
  std::istringstream in(text + "after");
  auto credentials = ReadBootstrap(in);
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->secret, "s3cret");
  EXPECT_EQ(credentials->tls, nullptr);  // TLS off
  std::string rest;
  std::getline(in, rest);
  EXPECT_EQ(rest, "after");  // nothing past the empty line was consumed
}

TEST(ExecutorBootstrap, ReadingLoadsTlsAndNamesASettingThatCannotWork) {
  std::istringstream in("s\nspark.ssl.enabled=true\nspark.ssl.certChain=/nowhere/cert.pem\n\n");
  Status st = ReadBootstrap(in).status();
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("spark.ssl.certChain /nowhere/cert.pem"), std::string::npos) << st.message();
}

TEST(ExecutorBootstrap, RefusesWhatItCannotCarryOrParse) {
  Status st;
  Written("two\nlines", {}, &st);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(Written("s", {{"spark.ssl.certChain", "a\nb"}}, &st).empty());
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  for (std::string text : {"", "\n\n", "s\nspark.ssl.enabled=true\n", "s\nspark.app.name=x\n\n", "s\nnonsense\n\n"}) {
    std::istringstream in(text);
    EXPECT_EQ(ReadBootstrap(in).status().code(), StatusCode::kInvalidArgument) << text;
  }
}

}  // namespace
}  // namespace ember::deploy
