// ember._core.fast.emit_buckets (see fast_bindings.h): the shuffle map
// side's per-record loop, and ember's portable_hash (python/ember/hashing.py)
// for the key types it can compute without calling Python.
#include <pybind11/pybind11.h>
#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "ember/bindings/fast_bindings.h"

namespace py = pybind11;

namespace {

uint32_t Crc32(const char* data, Py_ssize_t size) {
  return static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(data), static_cast<uInt>(size)));
}

// portable_hash(x) — a value in [-2^63, 2^64) — or nullopt when x is not
// a type computed here (the caller asks Python).
std::optional<__int128> PortableHash(PyObject* x) {
  PyTypeObject* t = Py_TYPE(x);
  if (t == &PyUnicode_Type) {
    Py_ssize_t size;
    const char* utf8 = PyUnicode_AsUTF8AndSize(x, &size);
    if (!utf8) {  // lone surrogates: Python's encode("surrogatepass") handles them
      PyErr_Clear();
      return std::nullopt;
    }
    return Crc32(utf8, size);
  }
  if (t == &PyLong_Type || t == &PyFloat_Type || t == &PyBool_Type) {
    Py_hash_t h = PyObject_Hash(x);
    if (h == -1 && PyErr_Occurred()) throw py::error_already_set();
    return h;
  }
  if (x == Py_None) return 0;
  if (t == &PyBytes_Type) return Crc32(PyBytes_AS_STRING(x), PyBytes_GET_SIZE(x));
  if (t == &PyTuple_Type) {
    uint64_t h = 0x345678;
    Py_ssize_t n = PyTuple_GET_SIZE(x);
    for (Py_ssize_t i = 0; i < n; ++i) {
      auto item = PortableHash(PyTuple_GET_ITEM(x, i));
      if (!item) return std::nullopt;
      h = (h ^ static_cast<uint64_t>(*item)) * 1000003;  // Python masks to 64 bits
    }
    h ^= static_cast<uint64_t>(n);
    return h == UINT64_MAX ? __int128{-2} : __int128{h};
  }
  return std::nullopt;
}

// Python's h % n for n > 0: in [0, n).
size_t Bucket(__int128 h, size_t n) {
  __int128 r = h % static_cast<__int128>(n);
  return static_cast<size_t>(r < 0 ? r + n : r);
}

class BucketEmitter {
 public:
  BucketEmitter(size_t n, py::object write, py::object dumps, py::object adapt, int frame_type)
      : buckets_(n), write_(std::move(write)), dumps_(std::move(dumps)), adapt_(std::move(adapt)),
        frame_type_(frame_type) {}

  void Add(size_t b, PyObject* record) {
    if (!buckets_[b]) buckets_[b] = py::list();
    if (PyList_Append(buckets_[b].ptr(), record) < 0) throw py::error_already_set();
    if (PyList_GET_SIZE(buckets_[b].ptr()) >= limit_) {
      size_t size = Flush(b);
      limit_ = adapt_(limit_, size).cast<Py_ssize_t>();
    }
  }

  Py_ssize_t limit() const { return limit_; }

  void FlushAll() {
    for (size_t b = 0; b < buckets_.size(); ++b)
      if (buckets_[b]) Flush(b);
  }

  int64_t written = 0;

 private:
  // Writes bucket b's records; returns the pickled size.
  size_t Flush(size_t b) {
    py::object items = std::move(buckets_[b]);
    buckets_[b] = py::object();
    py::bytes payload = dumps_(items);
    Py_ssize_t size = PyBytes_GET_SIZE(payload.ptr());
    auto frame = py::reinterpret_steal<py::bytes>(PyBytes_FromStringAndSize(nullptr, 4 + size));
    if (!frame) throw py::error_already_set();
    uint32_t bucket = static_cast<uint32_t>(b);  // little-endian, as every frame (hosts are)
    std::memcpy(PyBytes_AS_STRING(frame.ptr()), &bucket, 4);
    std::memcpy(PyBytes_AS_STRING(frame.ptr()) + 4, PyBytes_AS_STRING(payload.ptr()), size);
    write_(frame_type_, frame);
    written += PyList_GET_SIZE(items.ptr());
    return size;
  }

  std::vector<py::object> buckets_;  // a list of pending records, or null
  py::object write_, dumps_, adapt_;
  int frame_type_;
  Py_ssize_t limit_ = 16;
};

int64_t EmitBuckets(const py::iterable& records, size_t n, const py::object& partition_func,
                    const py::object& portable_hash, py::object write, py::object dumps,
                    py::object adapt, int frame_type) {
  if (n == 0) throw py::value_error("no buckets");
  bool portable = partition_func.is(portable_hash);
  py::int_ zero(0), modulus(n);
  BucketEmitter out(n, std::move(write), std::move(dumps), std::move(adapt), frame_type);
  py::iterator it = py::iter(records);
  while (PyObject* raw = PyIter_Next(it.ptr())) {
    py::object record = py::reinterpret_steal<py::object>(raw);
    py::object key = py::reinterpret_steal<py::object>(PyObject_GetItem(raw, zero.ptr()));
    if (!key) throw py::error_already_set();
    std::optional<__int128> h = portable ? PortableHash(key.ptr()) : std::nullopt;
    size_t b;
    if (h) {
      b = Bucket(*h, n);
    } else {
      py::object r = partition_func(key);
      py::object m = py::reinterpret_steal<py::object>(PyNumber_Remainder(r.ptr(), modulus.ptr()));
      if (!m) throw py::error_already_set();
      if (!PyLong_Check(m.ptr()))
        throw py::type_error("the partition function's result is not an int: " + py::repr(r).cast<std::string>());
      b = m.cast<size_t>();
    }
    out.Add(b, raw);
  }
  if (PyErr_Occurred()) throw py::error_already_set();
  out.FlushAll();
  return out.written;
}

int64_t EmitRanges(const py::iterable& records, size_t n, const py::object& ranges_of, py::object write,
                   py::object dumps, py::object adapt, int frame_type) {
  BucketEmitter out(n, std::move(write), std::move(dumps), std::move(adapt), frame_type);
  py::iterator it = py::iter(records);
  while (true) {
    py::list chunk;
    while (PyList_GET_SIZE(chunk.ptr()) < out.limit()) {
      PyObject* raw = PyIter_Next(it.ptr());
      if (!raw) break;
      int appended = PyList_Append(chunk.ptr(), raw);
      Py_DECREF(raw);
      if (appended < 0) throw py::error_already_set();
    }
    if (PyErr_Occurred()) throw py::error_already_set();
    if (PyList_GET_SIZE(chunk.ptr()) == 0) break;
    py::iterator found = py::iter(ranges_of(chunk));
    for (py::handle record : chunk) {
      py::object b = py::reinterpret_steal<py::object>(PyIter_Next(found.ptr()));
      if (!b) {
        if (PyErr_Occurred()) throw py::error_already_set();
        throw py::value_error("ranges_of gave fewer buckets than records");
      }
      size_t bucket = b.cast<size_t>();
      if (bucket >= n) throw py::index_error("bucket " + std::to_string(bucket) + " of " + std::to_string(n));
      out.Add(bucket, record.ptr());
    }
  }
  out.FlushAll();
  return out.written;
}

}  // namespace

void BindBucketEmitter(py::module_& fast) {
  fast.def("emit_buckets", &EmitBuckets);
  fast.def("emit_ranges", &EmitRanges);
}
