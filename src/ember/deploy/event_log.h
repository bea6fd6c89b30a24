// EventLog: the application's event log, as Spark writes it
// (spark.eventLog.enabled), for Spark's History Server and `ember history`.
//
// Contract: Open() returns null when spark.eventLog.enabled is false
// (the default). Otherwise it creates <spark.eventLog.dir>/<app id>
// (default dir file:/tmp/spark-events; any ember file system: a local
// path, file:, hdfs://, webhdfs://, s3a://) with ".inprogress" appended
// while the application runs — Spark's single-file layout (as with
// spark.eventLog.rolling.enabled=false). A missing directory fails with
// "Log directory <dir> does not exist."; an existing log of the same name
// fails naming it unless spark.eventLog.overwrite=true, which deletes it.
// spark.eventLog.compress=true compresses with
// spark.eventLog.compression.codec, of which ember writes zstd (Spark's
// ".zstd" extension); another codec is an error naming the setting.
// Write() appends one event as one line; SparkListenerBlockUpdated only
// with spark.eventLog.logBlockUpdates.enabled=true, as in Spark. Close()
// finishes the file and renames it to its final name. A write error is
// logged once and ends the log (the application goes on). Not
// thread-safe: the listener bus's one dispatch thread writes.
#pragma once

#include <memory>
#include <string>

#include "ember/deploy/settings.h"
#include "ember/io/codec.h"
#include "ember/scheduler/listener_events.h"

namespace ember::deploy {

class EventLog {
 public:
  static Result<std::unique_ptr<EventLog>> Open(const Conf& conf, const std::string& app_id);

  void Write(const scheduler::ListenerEvent& event, const std::string& json);
  Status Close();
  const std::string& path() const { return path_; }  // the final name

 private:
  EventLog() = default;
  void Fail(const Status& st);

  std::string path_;
  std::unique_ptr<io::OutputStream> out_;
  bool log_block_updates_ = false;
};

}  // namespace ember::deploy
