#include "escalation/sdk/hours.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"

namespace escalation::sdk {
namespace {

using Interval = WeeklyHours::Interval;

// Mon-Fri 08:00-21:00, Sat 08:00-16:30, Sunday closed (the Tier 2 shape).
WeeklyHours Tier2Like() {
  std::vector<Interval> intervals;
  for (absl::Weekday d :
       {absl::Weekday::monday, absl::Weekday::tuesday, absl::Weekday::wednesday,
        absl::Weekday::thursday, absl::Weekday::friday}) {
    intervals.push_back({d, 8 * 60, 21 * 60});
  }
  intervals.push_back({absl::Weekday::saturday, 8 * 60, 16 * 60 + 30});
  return *WeeklyHours::Create("America/New_York", intervals);
}

absl::Time Eastern(int y, int mo, int d, int h, int mi) {
  absl::TimeZone tz;
  EXPECT_TRUE(absl::LoadTimeZone("America/New_York", &tz));
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), tz);
}

absl::Time Utc(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), absl::UTCTimeZone());
}

TEST(WeeklyHoursTest, UnknownZoneIsAnError) {
  auto hours = WeeklyHours::Create("America/Nowhere", {});
  ASSERT_FALSE(hours.ok());
  EXPECT_EQ(hours.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(hours.status().message(), "unknown time zone \"America/Nowhere\"");
}

TEST(WeeklyHoursTest, EmptyOrOutOfRangeIntervalIsAnError) {
  const struct {
    int start_minute;
    int end_minute;
    std::string error;
  } refused[] = {
      {60, 60, "opening interval [60, 60) is empty or outside 0..1440 minutes"},
      {0, 1441, "opening interval [0, 1441) is empty or outside 0..1440 minutes"},
      {-1, 10, "opening interval [-1, 10) is empty or outside 0..1440 minutes"},
  };
  for (const auto& [start_minute, end_minute, error] : refused) {
    auto hours = WeeklyHours::Create("UTC", {{absl::Weekday::monday, start_minute, end_minute}});
    ASSERT_FALSE(hours.ok()) << error;
    EXPECT_EQ(hours.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(hours.status().message(), error);
  }
}

TEST(WeeklyHoursTest, SaturdayClosesAt1630Eastern) {
  WeeklyHours h = Tier2Like();
  // 2026-11-21 is a Saturday (EST, UTC-5).
  EXPECT_TRUE(h.IsOpen(Eastern(2026, 11, 21, 16, 29)));
  EXPECT_TRUE(h.IsOpen(Utc(2026, 11, 21, 21, 29)));
  EXPECT_FALSE(h.IsOpen(Eastern(2026, 11, 21, 16, 30)));
  EXPECT_FALSE(h.IsOpen(Utc(2026, 11, 21, 21, 30)));
  // Next opening is Monday 08:00, not Sunday.
  EXPECT_EQ(h.NextOpening(Eastern(2026, 11, 21, 16, 30)), Eastern(2026, 11, 23, 8, 0));
  EXPECT_EQ(h.NextOpening(Utc(2026, 11, 21, 21, 30)), Utc(2026, 11, 23, 13, 0));
}

TEST(WeeklyHoursTest, StartIncludedEndExcluded) {
  WeeklyHours h = Tier2Like();
  EXPECT_FALSE(h.IsOpen(Eastern(2026, 11, 23, 7, 59)));
  EXPECT_TRUE(h.IsOpen(Eastern(2026, 11, 23, 8, 0)));
  EXPECT_TRUE(h.IsOpen(Eastern(2026, 11, 23, 20, 59)));
  EXPECT_FALSE(h.IsOpen(Eastern(2026, 11, 23, 21, 0)));
  EXPECT_EQ(h.NextOpening(Eastern(2026, 11, 23, 21, 0)), Eastern(2026, 11, 24, 8, 0));
  EXPECT_EQ(h.NextOpening(Eastern(2026, 11, 23, 7, 0)), Eastern(2026, 11, 23, 8, 0));
  EXPECT_EQ(h.NextOpening(Eastern(2026, 11, 23, 9, 0)), Eastern(2026, 11, 23, 9, 0));
}

TEST(OpenOnceTest, AnswersAsTheScheduleAndKeepsItsFirstAnswer) {
  WeeklyHours h = Tier2Like();
  for (const absl::Time t : {Eastern(2026, 11, 23, 8, 0), Eastern(2026, 11, 23, 21, 0)}) {
    OpenOnce open;
    EXPECT_EQ(open.IsOpen(h, t), h.IsOpen(t));
    EXPECT_EQ(open.IsOpen(h, t), h.IsOpen(t));
  }
  // Its answer is the call's: a later instant asked of it is not looked up.
  OpenOnce open;
  EXPECT_TRUE(open.IsOpen(h, Eastern(2026, 11, 23, 8, 0)));
  EXPECT_TRUE(open.IsOpen(h, Eastern(2026, 11, 23, 22, 0)));
}

TEST(WeeklyHoursTest, SundayClosed) {
  WeeklyHours h = Tier2Like();
  for (int hour = 0; hour < 24; ++hour) {
    EXPECT_FALSE(h.IsOpen(Eastern(2026, 11, 22, hour, 0))) << hour;
  }
  EXPECT_EQ(h.NextOpening(Eastern(2026, 11, 22, 12, 0)), Eastern(2026, 11, 23, 8, 0));
}

TEST(WeeklyHoursTest, MondayAfterSpringForward) {
  WeeklyHours h = Tier2Like();
  // DST began Sunday 2026-03-08; Monday 08:00 EDT is 12:00 UTC (not 13:00).
  EXPECT_FALSE(h.IsOpen(Utc(2026, 3, 9, 11, 59)));
  EXPECT_TRUE(h.IsOpen(Utc(2026, 3, 9, 12, 0)));
  EXPECT_EQ(h.NextOpening(Utc(2026, 3, 7, 22, 0)), Utc(2026, 3, 9, 12, 0));
  // The Friday before was still EST: 08:00 is 13:00 UTC.
  EXPECT_FALSE(h.IsOpen(Utc(2026, 3, 6, 12, 30)));
  EXPECT_TRUE(h.IsOpen(Utc(2026, 3, 6, 13, 0)));
}

TEST(WeeklyHoursTest, MondayAfterFallBack) {
  WeeklyHours h = Tier2Like();
  // DST ended Sunday 2026-11-01; Monday 08:00 EST is 13:00 UTC (not 12:00).
  EXPECT_FALSE(h.IsOpen(Utc(2026, 11, 2, 12, 30)));
  EXPECT_TRUE(h.IsOpen(Utc(2026, 11, 2, 13, 0)));
  EXPECT_EQ(h.NextOpening(Utc(2026, 10, 31, 21, 0)), Utc(2026, 11, 2, 13, 0));
  // Saturday before, still EDT: closes 16:30 EDT = 20:30 UTC.
  EXPECT_TRUE(h.IsOpen(Utc(2026, 10, 31, 20, 29)));
  EXPECT_FALSE(h.IsOpen(Utc(2026, 10, 31, 20, 30)));
}

TEST(WeeklyHoursTest, IntervalStartingInSkippedHourOpensWhenClockResumes) {
  // 02:30 does not exist on 2026-03-08 in New York; opening is 03:00 EDT.
  auto h = WeeklyHours::Create("America/New_York",
                               {{absl::Weekday::sunday, 150, 240}});
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->NextOpening(Utc(2026, 3, 8, 5, 0)), Utc(2026, 3, 8, 7, 0));
  EXPECT_TRUE(h->IsOpen(Utc(2026, 3, 8, 7, 0)));
}

TEST(WeeklyHoursTest, NoIntervalsNeverOpens) {
  auto h = WeeklyHours::Create("UTC", {});
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(h->IsOpen(Utc(2026, 1, 1, 0, 0)));
  EXPECT_EQ(h->NextOpening(Utc(2026, 1, 1, 0, 0)), absl::InfiniteFuture());
}

}  // namespace
}  // namespace escalation::sdk
