#include "escalation/sdk/coverage.h"

#include <cstdint>

#include "absl/strings/str_cat.h"

namespace escalation::sdk {
namespace {

// The highest CallFacts field number probed; far above the fields in use.
constexpr uint32_t kLastProbedField = 64;

void AppendVarint(uint32_t n, std::string* out) {
  for (; n >= 0x80; n >>= 7) out->push_back(static_cast<char>(n | 0x80));
  out->push_back(static_cast<char>(n));
}

std::vector<v1::CallFacts> ProbeCalls(v1::Department department) {
  std::vector<v1::CallFacts> calls;
  v1::CallFacts base;
  base.set_department(department);
  calls.push_back(base);
  for (uint32_t field = 1; field <= kLastProbedField; ++field) {
    if (field == v1::CallFacts::kReasonsFieldNumber ||
        field == v1::CallFacts::kThreatsFieldNumber) {
      continue;
    }
    for (uint32_t value = 0; value <= 3; ++value) {
      // The lite runtime has no reflection: the fact is set through the wire
      // format. A field of another kind keeps the value as unknown, which no
      // rule reads.
      std::string wire;
      AppendVarint(field << 3, &wire);  // Wire type 0: a number.
      AppendVarint(value, &wire);
      v1::CallFacts call = base;
      if (call.MergeFromString(wire)) calls.push_back(std::move(call));
    }
  }
  return calls;
}

}  // namespace

ReasonCoverage ReasonCoverage::Probe(v1::Department department, const FiredRules& fired) {
  ReasonCoverage c;
  for (const v1::CallFacts& probe : ProbeCalls(department)) {
    const std::set<std::string> without = fired(probe);
    for (int r = v1::Reason_MIN; r <= v1::Reason_MAX; ++r) {
      if (!v1::Reason_IsValid(r) || r == v1::REASON_UNSPECIFIED || c.reasons_.count(r)) {
        continue;
      }
      v1::CallFacts call = probe;
      call.add_reasons(static_cast<v1::Reason>(r));
      if (fired(call) != without) c.reasons_.insert(r);
    }
    for (int t = v1::Threat_MIN; t <= v1::Threat_MAX; ++t) {
      if (!v1::Threat_IsValid(t) || t == v1::THREAT_UNSPECIFIED || c.threats_.count(t)) {
        continue;
      }
      v1::CallFacts call = probe;
      call.add_threats(static_cast<v1::Threat>(t));
      if (fired(call) != without) c.threats_.insert(t);
    }
  }
  return c;
}

template <typename Fn>
void ReasonCoverage::ForEachUncovered(const v1::CallFacts& call, Fn fn) const {
  // Which values were named already: a bit each, nothing allocated per fact.
  static_assert(v1::Reason_MAX < 64 && v1::Threat_MAX < 64, "a value per bit");
  uint64_t seen = 0;
  auto first_time = [&seen](int value) {
    const uint64_t bit = uint64_t{1} << value;
    const bool first = (seen & bit) == 0;
    seen |= bit;
    return first;
  };
  for (int r : call.reasons()) {
    if (r == v1::REASON_UNSPECIFIED || !v1::Reason_IsValid(r) || reasons_.count(r) ||
        !first_time(r)) {
      continue;
    }
    if (!fn(r, false)) return;
  }
  seen = 0;
  for (int t : call.threats()) {
    if (t == v1::THREAT_UNSPECIFIED || !v1::Threat_IsValid(t) || threats_.count(t) ||
        !first_time(t)) {
      continue;
    }
    if (!fn(t, true)) return;
  }
}

namespace {

std::string Note(int value, bool threat, absl::string_view text, absl::string_view tail) {
  return threat ? absl::StrCat(v1::Threat_Name(static_cast<v1::Threat>(value)), ": ",
                               text, " threat", tail)
                : absl::StrCat(v1::Reason_Name(static_cast<v1::Reason>(value)), ": ",
                               text, " reason", tail);
}

}  // namespace

std::vector<std::string> ReasonCoverage::UncoveredNotes(const v1::CallFacts& call,
                                                        const std::string& text,
                                                        const std::string& tail) const {
  std::vector<std::string> notes;
  ForEachUncovered(call, [&](int value, bool threat) {
    notes.push_back(Note(value, threat, text, tail));
    return true;
  });
  return notes;
}

bool ReasonCoverage::AnyUncovered(const v1::CallFacts& call) const {
  bool any = false;
  ForEachUncovered(call, [&](int, bool) {
    any = true;
    return false;  // One is enough.
  });
  return any;
}

UncoveredNoteTable::UncoveredNoteTable(ReasonCoverage coverage, const std::string& text,
                                       const std::string& tail)
    : coverage_(std::move(coverage)) {
  for (int r = 0; r < 64; ++r) {
    if (r != v1::REASON_UNSPECIFIED && v1::Reason_IsValid(r) && !coverage_.Handles(static_cast<v1::Reason>(r))) {
      reason_notes_[r] = Note(r, false, text, tail);
    }
  }
  for (int t = 0; t < 64; ++t) {
    if (t != v1::THREAT_UNSPECIFIED && v1::Threat_IsValid(t) && !coverage_.Handles(static_cast<v1::Threat>(t))) {
      threat_notes_[t] = Note(t, true, text, tail);
    }
  }
}

absl::InlinedVector<absl::string_view, 8> UncoveredNoteTable::NotesFor(
    const v1::CallFacts& call) const {
  absl::InlinedVector<absl::string_view, 8> notes;
  coverage_.ForEachUncovered(call, [&](int value, bool threat) {
    notes.push_back(threat ? threat_notes_[value] : reason_notes_[value]);
    return true;
  });
  return notes;
}

}  // namespace escalation::sdk
