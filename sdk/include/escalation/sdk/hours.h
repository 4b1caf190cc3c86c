// Weekly opening hours in one time zone (generic, not policy).
//
// An interval is a weekday and a [start, end) range of minutes after local
// midnight; it includes its start and excludes its end. Times are evaluated in
// the zone's civil time (absl::TimeZone), so daylight saving is handled.
#ifndef ESCALATION_SDK_HOURS_H_
#define ESCALATION_SDK_HOURS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace escalation::sdk {

class WeeklyHours {
 public:
  struct Interval {
    absl::Weekday day;
    int start_minute;  // Minutes after local midnight, 0..1439.
    int end_minute;    // Exclusive, start_minute < end_minute <= 1440.
  };

  // Fails when `zone` is not in the tz database, or an interval is empty or
  // out of range.
  static absl::StatusOr<WeeklyHours> Create(absl::string_view zone,
                                            std::vector<Interval> intervals);

  // True when `t` falls in an interval.
  bool IsOpen(absl::Time t) const;

  // `t` itself when open; otherwise the start of the next interval.
  // absl::InfiniteFuture() when there are no intervals.
  absl::Time NextOpening(absl::Time t) const;

  const absl::TimeZone& zone() const { return zone_; }
  const std::string& zone_name() const { return zone_name_; }

 private:
  WeeklyHours(absl::TimeZone zone, std::string zone_name,
              std::vector<Interval> intervals)
      : zone_(zone),
        zone_name_(std::move(zone_name)),
        intervals_(std::move(intervals)) {}

  absl::TimeZone zone_;
  std::string zone_name_;
  std::vector<Interval> intervals_;
};

// Whether one schedule is open at one instant, answered once: a table's
// per-call context holds one, so the several rows of a call that ask cost
// one time zone lookup. Every ask of one OpenOnce passes the same hours and
// instant.
class OpenOnce {
 public:
  bool IsOpen(const WeeklyHours& hours, absl::Time t) const {
    if (!open_.has_value()) open_ = hours.IsOpen(t);
    return *open_;
  }

 private:
  mutable std::optional<bool> open_;
};

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_HOURS_H_
