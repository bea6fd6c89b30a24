#include "ember/exec/fault_injection.h"

#include <sstream>

namespace ember::exec {

namespace {

// "a:b:c,..." -> rules of exactly `fields` integers each ("*" is -1).
Result<std::vector<std::vector<int>>> ParseRules(const std::string& key, const std::string& text,
                                                 size_t fields) {
  std::vector<std::vector<int>> rules;
  std::stringstream entries(text);
  std::string entry;
  while (std::getline(entries, entry, ',')) {
    if (entry.empty()) continue;
    std::vector<int> rule;
    std::stringstream parts(entry);
    std::string part;
    while (std::getline(parts, part, ':')) {
      if (part == "*") {
        rule.push_back(-1);
        continue;
      }
      try {
        size_t used = 0;
        rule.push_back(std::stoi(part, &used));
        if (used != part.size()) throw std::invalid_argument(part);
      } catch (...) {
        return InvalidArgument("invalid field '" + part + "' in setting " + key + "=" + text);
      }
    }
    if (rule.size() != fields)
      return InvalidArgument("setting " + key + " needs " + std::to_string(fields) +
                             " fields separated by ':' in each entry, got '" + entry + "'");
    rules.push_back(std::move(rule));
  }
  return rules;
}

}  // namespace

Result<FaultInjector> FaultInjector::FromConf(const std::map<std::string, std::string>& conf) {
  FaultInjector f;
  struct Point {
    const char* key;
    size_t key_fields;
    bool has_value;
    std::vector<Rule>* rules;
  };
  const Point points[] = {
      {"ember.test.signalWorker", 3, true, &f.signal_worker_},
      {"ember.test.slowTask", 3, true, &f.slow_task_},
      {"ember.test.deleteMapOutput", 3, false, &f.delete_output_},
      {"ember.test.corruptMapOutput", 3, false, &f.corrupt_output_},
  };
  for (const Point& p : points) {
    auto it = conf.find(p.key);
    if (it == conf.end()) continue;
    EMBER_ASSIGN_OR_RETURN(auto rules,
                           ParseRules(p.key, it->second, p.key_fields + (p.has_value ? 1 : 0)));
    for (auto& r : rules) {
      Rule rule;
      rule.value = p.has_value ? r.back() : 1;
      if (p.has_value) r.pop_back();
      rule.key = std::move(r);
      p.rules->push_back(std::move(rule));
    }
  }
  return f;
}

int FaultInjector::Find(const std::vector<Rule>& rules, std::vector<int> key) {
  for (const Rule& r : rules) {
    bool match = true;
    for (size_t i = 0; i < key.size() && match; ++i) match = r.key[i] == -1 || r.key[i] == key[i];
    if (match) return r.value;
  }
  return 0;
}

int FaultInjector::WorkerSignal(int stage, int partition, int attempt) const {
  return signal_worker_.empty() ? 0 : Find(signal_worker_, {stage, partition, attempt});
}

int FaultInjector::SlowTaskMillis(int stage, int partition, int attempt) const {
  return slow_task_.empty() ? 0 : Find(slow_task_, {stage, partition, attempt});
}

bool FaultInjector::DeleteMapOutput(int shuffle, int map, int attempt) const {
  return !delete_output_.empty() && Find(delete_output_, {shuffle, map, attempt});
}

bool FaultInjector::CorruptMapOutput(int shuffle, int map, int attempt) const {
  return !corrupt_output_.empty() && Find(corrupt_output_, {shuffle, map, attempt});
}

}  // namespace ember::exec
