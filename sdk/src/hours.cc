#include "escalation/sdk/hours.h"

#include <algorithm>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace escalation::sdk {
namespace {

constexpr int kMinutesPerDay = 24 * 60;

// The instant a civil minute of `day` begins in `zone`. A minute skipped by a
// daylight-saving jump maps to the instant after the gap (pre-transition
// offset), so an interval starting in the gap opens when the clock resumes.
absl::Time At(absl::CivilDay day, int minute, const absl::TimeZone& zone) {
  const absl::CivilMinute cm = absl::CivilMinute(day) + minute;
  const absl::TimeZone::TimeInfo info = zone.At(cm);
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans
                                                        : info.pre;
}

}  // namespace

absl::StatusOr<WeeklyHours> WeeklyHours::Create(
    absl::string_view zone, std::vector<Interval> intervals) {
  absl::TimeZone tz;
  if (!absl::LoadTimeZone(zone, &tz)) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown time zone \"", zone, "\""));
  }
  for (const Interval& i : intervals) {
    if (i.start_minute < 0 || i.start_minute >= i.end_minute ||
        i.end_minute > kMinutesPerDay) {
      return absl::InvalidArgumentError(absl::StrCat(
          "opening interval [", i.start_minute, ", ", i.end_minute,
          ") is empty or outside 0..1440 minutes"));
    }
  }
  return WeeklyHours(tz, std::string(zone), std::move(intervals));
}

bool WeeklyHours::IsOpen(absl::Time t) const {
  const absl::CivilDay day = absl::ToCivilDay(t, zone_);
  const absl::Weekday weekday = absl::GetWeekday(day);
  return std::any_of(intervals_.begin(), intervals_.end(),
                     [&](const Interval& i) {
                       return i.day == weekday &&
                              At(day, i.start_minute, zone_) <= t &&
                              t < At(day, i.end_minute, zone_);
                     });
}

absl::Time WeeklyHours::NextOpening(absl::Time t) const {
  if (intervals_.empty()) return absl::InfiniteFuture();
  if (IsOpen(t)) return t;
  const absl::CivilDay today = absl::ToCivilDay(t, zone_);
  absl::Time best = absl::InfiniteFuture();
  // Eight days covers a weekly schedule whose only interval started today.
  for (int offset = 0; offset <= 7; ++offset) {
    const absl::CivilDay day = today + offset;
    for (const Interval& i : intervals_) {
      if (i.day != absl::GetWeekday(day)) continue;
      const absl::Time start = At(day, i.start_minute, zone_);
      if (start > t) best = std::min(best, start);
    }
    if (best != absl::InfiniteFuture()) return best;
  }
  return best;
}

}  // namespace escalation::sdk
