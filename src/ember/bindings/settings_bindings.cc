#include "ember/bindings/settings_bindings.h"

#include <pybind11/stl.h>

#include "ember/common/logging.h"
#include "ember/deploy/daemon_conf.h"
#include "ember/deploy/settings.h"

namespace py = pybind11;
using namespace ember::deploy;

namespace {

template <typename T>
py::object Value(ember::Result<T> r, const std::function<void(const ember::Status&)>& raise) {
  if (!r.ok()) raise(r.status());
  return py::cast(*r);
}

py::dict Describe(const Setting& s) {
  py::dict d;
  d["name"] = s.name;
  d["type"] = SettingTypeName(s.type);
  d["default"] = s.def;
  d["default_doc"] = s.def_doc;
  d["fallback"] = s.fallback;
  d["scope"] = SettingScopeText(s.scope);
  d["section"] = s.section;
  d["meaning"] = s.meaning;
  d["detail"] = s.detail;
  d["no_effect"] = s.no_effect;
  return d;
}

}  // namespace

void BindSettings(py::module_& m, std::function<void(const ember::Status&)> raise) {
  m.def("setting", [raise](const Conf& conf, const std::string& key) -> py::object {
    auto text = SettingText(conf, key);
    if (!text.ok()) raise(text.status());
    if (text->empty()) return py::none();
    switch (FindSetting(key)->type) {
      case SettingType::kBool: return Value(GetBool(conf, key), raise);
      case SettingType::kInt: return Value(GetInt(conf, key), raise);
      case SettingType::kDouble: return Value(GetDouble(conf, key), raise);
      case SettingType::kBytes: return Value(GetBytes(conf, key), raise);
      case SettingType::kDuration: return Value(GetSeconds(conf, key), raise);
      case SettingType::kEnum:
        if (auto st = ParseSettingValue(*FindSetting(key), key, *text); !st.ok()) raise(st);
        return py::str(*text);
      case SettingType::kString: return py::str(*text);
    }
    return py::none();
  });
  m.def("settings", [] {
    py::list out;
    for (const Setting& s : AllSettings()) out.append(Describe(s));
    return out;
  });
  m.def("set_log_level", [raise](const std::string& level) {
    if (auto st = ember::SetLogLevel(level); !st.ok()) raise(st);
  });
  m.def("log_level", [] { return ember::LogLevel(); });
  m.def("load_properties_file", [raise](const std::string& path) {
    auto conf = LoadPropertiesFile(path);
    if (!conf.ok()) raise(conf.status());
    return *conf;
  });
}
