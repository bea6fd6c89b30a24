// ember._core.fast.group_block and join_block (see fast_bindings.h): the
// hot loops of python/ember/external.py's map-side grouping and hash-join
// table, and of join.py's probe, with the same dict and set operations and
// the same unpacking errors as `for k, v in records:` in Python.
#include <pybind11/pybind11.h>

#include "ember/bindings/fast_bindings.h"

namespace py = pybind11;

namespace {

// k, v = record, as Python unpacks it (new references).
void UnpackPair(PyObject* record, py::object* k, py::object* v) {
  if (PyTuple_CheckExact(record) && PyTuple_GET_SIZE(record) == 2) {
    *k = py::reinterpret_borrow<py::object>(PyTuple_GET_ITEM(record, 0));
    *v = py::reinterpret_borrow<py::object>(PyTuple_GET_ITEM(record, 1));
    return;
  }
  PyObject* it = PyObject_GetIter(record);
  if (!it) {
    PyErr_Clear();
    throw py::type_error(std::string("cannot unpack non-iterable ") + Py_TYPE(record)->tp_name + " object");
  }
  py::object iter = py::reinterpret_steal<py::object>(it);
  PyObject* items[3] = {nullptr, nullptr, nullptr};
  int got = 0;
  for (; got < 3; ++got) {
    items[got] = PyIter_Next(it);
    if (!items[got]) break;
  }
  py::object first = py::reinterpret_steal<py::object>(items[0]);
  py::object second = py::reinterpret_steal<py::object>(items[1]);
  py::object third = py::reinterpret_steal<py::object>(items[2]);
  if (PyErr_Occurred()) throw py::error_already_set();
  if (got < 2) throw py::value_error("not enough values to unpack (expected 2, got " + std::to_string(got) + ")");
  if (got > 2) throw py::value_error("too many values to unpack (expected 2)");
  *k = std::move(first);
  *v = std::move(second);
}

// The next record of iterator `it` unpacked as k, v; false at its end.
bool NextPair(PyObject* it, py::object* k, py::object* v) {
  PyObject* raw = PyIter_Next(it);
  if (!raw) {
    if (PyErr_Occurred()) throw py::error_already_set();
    return false;
  }
  py::object record = py::reinterpret_steal<py::object>(raw);
  UnpackPair(raw, k, v);
  return true;
}

// table[k], borrowed, or nullptr when k is not a key (hashing errors raise).
PyObject* Find(const py::dict& table, const py::object& k) {
  PyObject* values = PyDict_GetItemWithError(table.ptr(), k.ptr());
  if (!values && PyErr_Occurred()) throw py::error_already_set();
  return values;
}

// For each (k, v) of block: table[k].append(v), a new [v] for a new key;
// a key whose list reaches `chunk` values (chunk > 0) leaves the table and
// its (k, list) is returned, in the order they filled.
py::list GroupBlock(const py::dict& table, const py::iterable& block, Py_ssize_t chunk) {
  py::list full;
  py::iterator it = py::iter(block);
  py::object k, v;
  while (NextPair(it.ptr(), &k, &v)) {
    PyObject* values = Find(table, k);
    if (!values) {
      py::list fresh(1);
      PyList_SET_ITEM(fresh.ptr(), 0, v.release().ptr());
      if (PyDict_SetItem(table.ptr(), k.ptr(), fresh.ptr()) < 0) throw py::error_already_set();
      continue;
    }
    if (PyList_Append(values, v.ptr()) < 0) throw py::error_already_set();
    if (chunk > 0 && PyList_GET_SIZE(values) >= chunk) {
      full.append(py::make_tuple(k, py::reinterpret_borrow<py::object>(values)));
      if (PyDict_DelItem(table.ptr(), k.ptr()) < 0) throw py::error_already_set();
    }
  }
  return full;
}

// Probes `table` ({k: [w, ...]}) with records' (k, v) until `chunk` outputs
// are made or records end: (k, (v, w)) for each w of k's list; for a key
// not in the table (k, (v, None)) when keep_left; every matched key goes
// into `matched` unless it is None. A record whose values are not a list of
// at most `chunk` is not expanded here: it stops the call and comes back as
// (k, v, values) for the caller to stream. Returns (outputs, that record or
// None, whether records ended).
py::tuple JoinBlock(const py::dict& table, const py::iterator& records, bool keep_left,
                    const py::object& matched, Py_ssize_t chunk) {
  py::list out;
  py::object k, v;
  while (PyList_GET_SIZE(out.ptr()) < chunk) {
    if (!NextPair(records.ptr(), &k, &v)) return py::make_tuple(out, py::none(), true);
    PyObject* values = Find(table, k);
    if (!values) {
      if (keep_left) out.append(py::make_tuple(k, py::make_tuple(v, py::none())));
      continue;
    }
    if (!matched.is_none() && PySet_Add(matched.ptr(), k.ptr()) < 0) throw py::error_already_set();
    if (!PyList_CheckExact(values) || PyList_GET_SIZE(values) > chunk) {
      return py::make_tuple(out, py::make_tuple(k, v, py::reinterpret_borrow<py::object>(values)), false);
    }
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(values); ++i) {
      py::object w = py::reinterpret_borrow<py::object>(PyList_GET_ITEM(values, i));
      out.append(py::make_tuple(k, py::make_tuple(v, w)));
    }
  }
  return py::make_tuple(out, py::none(), false);
}

}  // namespace

void BindGrouping(py::module_& fast) {
  fast.def("group_block", &GroupBlock);
  fast.def("join_block", &JoinBlock);
}
