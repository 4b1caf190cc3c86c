// A poison request in flight beside good calls of the same plugin
// (docs/architecture.md, Fault containment): the good calls keep their pace.
// It compares call rates, so it runs alone (RUN_SERIAL): a neighbouring test
// starting servers on the same two cores moved the pace it measures.
#include <algorithm>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/beside_departments.h"
#include "tests/e2e/load_counter.h"

namespace escalation {
namespace {

using ::testing::HasSubstr;
using test::CallFor;
using test::Outcomes;
using test::StartBesideDepartments;

// Lines of the server's log of event plugin_worker whose "what" is `what`.
std::vector<std::string> WorkerLogLines(const std::string& output, const std::string& what) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (absl::StrContains(line, "\"event\":\"plugin_worker\"") &&
        absl::StrContains(line, absl::StrCat("\"what\":\"", what, "\""))) {
      lines.emplace_back(line);
    }
  }
  return lines;
}

// One request that always crashes fault_segfault kept in flight beside good
// calls of the same plugin, with the default quarantine: it crashes two
// workers, then is refused at once (INTERNAL naming the plugin) without
// crashing more; a worker waiting to restart takes no calls, so the good
// calls all succeed and keep at least 80 % of the pace they have when the
// same caller sends a good request instead. Windows with and without the
// poison alternate, and the pace is judged by the median round, so a machine
// slowed by something else (a neighbouring test) during one window does not
// decide it; before the fix every round kept under 5 %. The fifth caller,
// poisoned or good, sends a call a millisecond: refused at once, a poison
// sent again as soon as it is answered costs the server's two cores (shared
// with the callers) more gRPC work than a good caller does, and CI's machine
// measured 0.75 and 0.77 that way (1.0 on a quieter one). Containment is about
// the workers, which two thousand poisoned calls would still crash without it.
TEST(ContainmentTest, APoisonRequestInFlightLeavesGoodCallsTheirPace) {
  auto server = StartBesideDepartments("fault_segfault", "process");
  ASSERT_TRUE(server.ok()) << server.status();
  const v1::RouteRequest good = CallFor(v1::LEADERSHIP_DESK, v1::REASON_UNSPECIFIED);
  const v1::RouteRequest poison = CallFor(v1::LEADERSHIP_DESK, v1::REASON_UNSPECIFIED, true);
  constexpr int kGoodCallers = 8;
  constexpr int kRounds = 5;
  constexpr absl::Duration kWindow = absl::Milliseconds(600);
  constexpr absl::Duration kFifthCallerEvery = absl::Milliseconds(1);
  Outcomes alone, beside_poison, other_caller, poisoned;
  std::vector<double> paces;  // Good calls beside the poison over good calls alone, a round each.
  for (int round = 0; round < kRounds; ++round) {
    int good_alone = 0;
    for (bool with_poison : {false, true}) {
      Outcomes window;
      std::thread fifth_caller([&] {
        test::RouteFor(server->address(), with_poison ? poison : good, 1, kWindow,
                       with_poison ? &poisoned : &other_caller, absl::Seconds(5),
                       kFifthCallerEvery);
      });
      test::RouteFor(server->address(), good, kGoodCallers, kWindow, &window);
      fifth_caller.join();
      (with_poison ? beside_poison : alone).AddAll(window);
      const int ok = window.Count(grpc::StatusCode::OK);
      if (!with_poison) good_alone = ok;
      else paces.push_back(good_alone > 0 ? static_cast<double>(ok) / good_alone : 0.0);
    }
  }
  std::sort(paces.begin(), paces.end());
  const double median_pace = paces[paces.size() / 2];
  std::printf("good calls in %d rounds: %d beside a good caller (which made %d), %d beside the "
              "poison (which made %d); median round's pace %.2f\n",
              kRounds, alone.Count(grpc::StatusCode::OK), other_caller.Total(),
              beside_poison.Count(grpc::StatusCode::OK), poisoned.Total(), median_pace);
  EXPECT_EQ(alone.Failed(), 0) << alone.Describe();
  EXPECT_EQ(beside_poison.Failed(), 0) << beside_poison.Describe();
  EXPECT_GT(alone.Total(), 0);
  EXPECT_GE(median_pace, 0.8) << "without the poison: " << alone.Describe()
                              << "beside it: " << beside_poison.Describe();
  EXPECT_EQ(poisoned.Count(grpc::StatusCode::INTERNAL), poisoned.Total()) << poisoned.Describe();
  EXPECT_GT(poisoned.Total(), 2) << poisoned.Describe();

  server->Signal(SIGTERM);
  server->Wait();
  const std::string output = server->output();
  const std::vector<std::string> crashes = WorkerLogLines(output, "crashed");
  EXPECT_EQ(crashes.size(), 2u) << output;
  EXPECT_THAT(WorkerLogLines(output, "poison_request"), ::testing::Not(::testing::IsEmpty()));
  EXPECT_THAT(WorkerLogLines(output, "quarantined"), ::testing::IsEmpty());
  // Each line carries its fields, not only the message.
  for (const std::string& line : crashes) {
    EXPECT_THAT(line, HasSubstr("\"plugin\":\"fault_segfault\""));
    EXPECT_THAT(line, HasSubstr("\"call\":\"route\""));
    EXPECT_THAT(line, ::testing::ContainsRegex("\"pid\":[1-9][0-9]*"));
#ifndef ESCALATION_SANITIZED  // UBSan ends the worker with exit 1, not SIGSEGV.
    EXPECT_THAT(line, HasSubstr("\"signal\":11"));
#endif
  }
}

}  // namespace
}  // namespace escalation
