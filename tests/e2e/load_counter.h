// Concurrent calls against a running server, counted by outcome: the
// containment and drain tests count every call, never sample.
#ifndef ESCALATION_TESTS_E2E_LOAD_COUNTER_H_
#define ESCALATION_TESTS_E2E_LOAD_COUNTER_H_

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/clock.h"
#include "escalation/v1/service.grpc.pb.h"
#include "grpcpp/create_channel.h"

namespace escalation::test {

// Outcomes of many calls: how many ended with each status code, and one
// message for each code.
class Outcomes {
 public:
  void Add(const grpc::Status& status) {
    std::lock_guard<std::mutex> lock(mu_);
    ++counts_[status.error_code()];
    messages_.emplace(status.error_code(), status.error_message());
  }
  int Count(grpc::StatusCode code) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = counts_.find(code);
    return it == counts_.end() ? 0 : it->second;
  }
  int Total() const {
    std::lock_guard<std::mutex> lock(mu_);
    int total = 0;
    for (const auto& [code, n] : counts_) total += n;
    return total;
  }
  int Failed() const { return Total() - Count(grpc::StatusCode::OK); }
  // Adds another's counts (and keeps a message of each code) to these.
  void AddAll(const Outcomes& other) {
    std::scoped_lock lock(mu_, other.mu_);
    for (const auto& [code, n] : other.counts_) counts_[code] += n;
    for (const auto& [code, message] : other.messages_) messages_.emplace(code, message);
  }
  std::string Describe() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::string out;
    for (const auto& [code, n] : counts_) {
      out += "code " + std::to_string(code) + ": " + std::to_string(n) + " (" +
             messages_.at(code) + ")\n";
    }
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::map<grpc::StatusCode, int> counts_;
  std::map<grpc::StatusCode, std::string> messages_;
};

inline v1::RouteRequest CallFor(v1::Department department, v1::Reason reason,
                                bool fault = false) {
  v1::RouteRequest request;
  request.mutable_call()->set_department(department);
  if (reason != v1::REASON_UNSPECIFIED) request.mutable_call()->add_reasons(reason);
  if (fault) {
    (*request.mutable_call()->mutable_extensions()->mutable_fields())["fault"]
        .set_bool_value(true);
  }
  request.mutable_evaluation_time()->set_seconds(1795446000);  // 2026-11-23 15:00 UTC
  return request;
}

// A Customer Service call that test_good_a answers after `sleep_ms`.
inline v1::RouteRequest SlowCall(int sleep_ms) {
  v1::RouteRequest request;
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  (*request.mutable_call()->mutable_extensions()->mutable_fields())["sleep_ms"]
      .set_number_value(sleep_ms);
  return request;
}

// Runs `threads` threads, each sending `request` over its own channel until
// `duration` has passed, and counts the outcomes. Each thread sends its next
// call as soon as the last is answered, or, given `every`, no sooner than
// `every` after the last began.
inline void RouteFor(const std::string& address, const v1::RouteRequest& request,
                     int threads, absl::Duration duration, Outcomes* outcomes,
                     absl::Duration deadline = absl::Seconds(5),
                     absl::Duration every = absl::ZeroDuration()) {
  std::vector<std::thread> running;
  const absl::Time end = absl::Now() + duration;
  for (int i = 0; i < threads; ++i) {
    running.emplace_back([&, i] {
      grpc::ChannelArguments args;
      args.SetInt("escalation.test.channel", i);  // One connection per thread.
      auto stub = v1::RoutingService::NewStub(grpc::CreateCustomChannel(
          address, grpc::InsecureChannelCredentials(), args));
      absl::Time begun = absl::InfinitePast();
      while (absl::Now() < end) {
        if (const absl::Time next = begun + every; absl::Now() < next) {
          absl::SleepFor(next - absl::Now());
          if (absl::Now() >= end) break;
        }
        begun = absl::Now();
        grpc::ClientContext context;
        context.set_deadline(absl::ToChronoTime(absl::Now() + deadline));
        v1::RouteResponse response;
        outcomes->Add(stub->Route(&context, request, &response));
      }
    });
  }
  for (std::thread& t : running) t.join();
}

}  // namespace escalation::test

#endif  // ESCALATION_TESTS_E2E_LOAD_COUNTER_H_
