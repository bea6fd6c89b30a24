#include "ember/bindings/fast_bindings.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "ember/fast/key_counts.h"
#include "ember/fast/text_program.h"

namespace py = pybind11;
using ember::fast::KeyCounts;
using ember::fast::TextOp;
using ember::fast::TextSink;

namespace {

py::object Steal(PyObject* o) {
  if (!o) throw py::error_already_set();
  return py::reinterpret_steal<py::object>(o);
}

std::string_view View(const py::bytes& b) {
  return std::string_view(PyBytes_AS_STRING(b.ptr()), PyBytes_GET_SIZE(b.ptr()));
}

// Appends each record to a list: str, (str, pair_value) or int.
class ListSink : public TextSink {
 public:
  ListSink(PyObject* list, PyObject* pair_value) : list_(list), pair_value_(pair_value) {}
  void Str(std::string_view s) override {
    py::object str = Steal(PyUnicode_DecodeUTF8(s.data(), s.size(), "strict"));
    if (pair_value_) str = py::make_tuple(str, py::handle(pair_value_));
    Append(str);
  }
  void Int(int64_t v) override { Append(Steal(PyLong_FromLongLong(v))); }

 private:
  void Append(const py::object& o) {
    if (PyList_Append(list_, o.ptr()) < 0) throw py::error_already_set();
  }
  PyObject* list_;
  PyObject* pair_value_;
};

class CountSink : public TextSink {
 public:
  void Str(std::string_view) override { ++count; }
  void Int(int64_t) override { ++count; }
  int64_t count = 0;
};

class CombineSink : public TextSink {
 public:
  explicit CombineSink(double value) : value_(value) {}
  void Str(std::string_view key) override { counts.Add(key, value_); }
  void Int(int64_t) override { throw std::logic_error("combine of len() records"); }
  KeyCounts counts;

 private:
  double value_;
};

class TextProgram {
 public:
  TextProgram(const py::list& ops, const std::string& terminal, const py::object& pair_value)
      : terminal_(terminal), pair_value_(pair_value) {
    for (const auto& item : ops) {
      auto t = item.cast<py::tuple>();
      auto kind = ember::fast::TextOpKind(t[0].cast<std::string>());
      if (!kind) throw py::value_error("unknown native op " + t[0].cast<std::string>());
      ops_.push_back(TextOp{*kind, t.size() > 1 ? t[1].cast<std::string>() : std::string()});
    }
    if (!ops_.empty() && ops_.back().kind == TextOp::Kind::kPair) pair_ = true;
    if (terminal_ == "combine") {
      if (!pair_) throw py::value_error("combine needs pairs");
      combine_ = std::make_unique<CombineSink>(PyFloat_Check(pair_value.ptr()) ? pair_value.cast<double>() : 0.0);
    } else if (terminal_ != "records" && terminal_ != "count") {
      throw py::value_error("unknown terminal " + terminal_);
    }
  }

  py::tuple Records(const py::bytes& frame) {
    Expect("records");
    py::list out;
    ListSink sink(out.ptr(), pair_ ? pair_value_.ptr() : nullptr);
    int64_t lines = RunTextOps(ops_, View(frame), &sink);
    return py::make_tuple(out, lines);
  }

  int64_t Feed(const py::bytes& frame) {
    if (terminal_ == "count") return RunTextOps(ops_, View(frame), &count_);
    Expect("combine");
    return RunTextOps(ops_, View(frame), combine_.get());
  }

  int64_t Count() const { return count_.count; }
  size_t Memory() const { return combine_ ? combine_->counts.Memory() : 0; }

  py::list Take() {
    Expect("combine");
    py::list out;
    bool is_float = PyFloat_Check(pair_value_.ptr());
    bool is_one = !is_float && pair_value_.equal(py::int_(1));
    combine_->counts.ForEach([&](std::string_view key, int64_t n, double sum) {
      py::object k = Steal(PyUnicode_DecodeUTF8(key.data(), key.size(), "strict"));
      py::object v;
      if (is_float) {
        v = py::float_(sum);
      } else {
        v = Steal(PyLong_FromLongLong(n));
        if (!is_one) v = Steal(PyNumber_Multiply(pair_value_.ptr(), v.ptr()));
      }
      if (PyList_Append(out.ptr(), py::make_tuple(k, v).ptr()) < 0) throw py::error_already_set();
    });
    combine_->counts.Clear();
    return out;
  }

 private:
  void Expect(const char* terminal) const {
    if (terminal_ != terminal) throw py::value_error("a " + terminal_ + " program, not " + terminal);
  }

  std::vector<TextOp> ops_;
  std::string terminal_;
  py::object pair_value_;
  bool pair_ = false;
  CountSink count_;
  std::unique_ptr<CombineSink> combine_;
};

}  // namespace

void BindFast(py::module_& m) {
  py::module_ fast = m.def_submodule("fast", "native fast paths of the Python worker");
  py::class_<TextProgram>(fast, "TextProgram")
      .def(py::init<const py::list&, const std::string&, const py::object&>())
      .def("records", &TextProgram::Records)
      .def("feed", &TextProgram::Feed)
      .def_property_readonly("count", &TextProgram::Count)
      .def("memory", &TextProgram::Memory)
      .def("take", &TextProgram::Take);
  BindBucketEmitter(fast);
  BindGrouping(fast);
}
