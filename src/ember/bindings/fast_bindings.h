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
#pragma once

#include <pybind11/pybind11.h>

void BindFast(pybind11::module_& m);
