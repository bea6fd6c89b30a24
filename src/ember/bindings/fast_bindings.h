// ember._core.fast: the native fast paths the Python worker runs
// (ember/fastpath.py says which functions they stand for).
//   TextProgram(ops, terminal, pair_value)
//     ops: list of (name,) or (name, str constant) tuples (fast/text_program.h);
//     terminal: "records", "count" or "combine" (reduceByKey(add) of the
//     pairs the last op, ("pair",), makes with pair_value, an int or float).
//   .records(frame) -> (list of the records, lines read)   "records" only
//   .feed(frame) -> lines read                               "count", "combine"
//   .count       records counted so far                      "count"
//   .memory()    bytes the combine map holds                 "combine"
//   .take()      the combined (key, value) pairs, emptying the map: the
//                value is pair_value * occurrences for an int, the float
//                sum in the order added for a float, as Python computes them
// Frames are the bytes of UTF-8 line frames (valid UTF-8).
//   emit_buckets(records, n, partition_func, write, dumps, adapt, frame_type)
//     the shuffle map side's bucketing (python/ember/worker.py documents
//     it): each (k, v) record goes to bucket partition_func(k) % n, a
//     bucket's records are written as write(frame_type, u32 bucket +
//     dumps(list)) when it holds `limit` of them (adapt(limit, payload
//     size) -> the next limit); returns the number of records. When
//     partition_func is ember's portable_hash the hash of a str, bytes,
//     int, float, bool, None or a tuple of them is computed here, with its
//     result; any other key is handed to partition_func.
//   emit_ranges(records, n, ranges_of, write, dumps, adapt, frame_type)
//     the same for a range shuffle: records (any objects) are taken in
//     chunks of `limit`, ranges_of(chunk) gives their buckets.
//   group_block(table, block, chunk) -> [(k, values)]
//     for each (k, v) of block: table[k].append(v) (a new list for a new
//     key); a key's list that reaches `chunk` values (when chunk > 0) is
//     taken out of the table and returned (python/ember/external.py).
//   join_block(table, records, keep_left, matched, chunk)
//     -> (outputs, (k, v, values) or None, records ended)
//     a hash join's probe (python/ember/join.py): (k, (v, w)) for each
//     left record (k, v) and each w of table[k] until `chunk` outputs; an
//     unmatched k gives (k, (v, None)) when keep_left; matched keys are
//     added to the set `matched` (None: not kept); a record whose values
//     are not a list of at most `chunk` is handed back to stream.
#pragma once

#include <pybind11/pybind11.h>

void BindFast(pybind11::module_& m);
// emit_buckets, into the `fast` submodule (bucket_emitter.cc).
void BindBucketEmitter(pybind11::module_& fast);
// group_block and join_block, into the `fast` submodule (grouping.cc).
void BindGrouping(pybind11::module_& fast);
