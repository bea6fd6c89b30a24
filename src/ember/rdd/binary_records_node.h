// Binary-records nodes: a source of fixed-length records (binaryRecords).
// Files are split by Hadoop's FileInputFormat rule (a split at least one
// record long); partition i reads the records that start inside split i
// (the first at the next multiple of the record length), reading past the
// split's end to finish its last one, so the splits of a file partition
// its records. Records are raw bytes, in FIXED_RECORDS frames of about
// 64 KiB. Errors name the file: a compressed one (binaryRecords reads
// bytes as stored, as Spark's does) and a length that is not a multiple
// of the record length (the partial record's offset and size).
#pragma once

#include <string>

#include "ember/rdd/node_kind.h"

namespace ember::rdd {

Result<proto::Node> MakeBinaryRecordsNode(const std::string& paths, int record_length, int min_partitions);
const NodeKind& BinaryRecordsNodeKind();

}  // namespace ember::rdd
