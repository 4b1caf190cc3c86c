#include "tools/bench/load.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"

namespace escalation::bench {
namespace {

using Clock = std::chrono::steady_clock;
enum Phase { kWarmup, kMeasure, kStop };

std::shared_ptr<grpc::Channel> Channel(const std::string& address, int id) {
  grpc::ChannelArguments args;
  args.SetInt("grpc.channel_id", id);  // Distinct arguments: a connection each.
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

// What every call slot shares.
struct Shared {
  std::atomic<int> phase{kWarmup};
  std::atomic<int> live{0};
  std::mutex mu;
  std::condition_variable drained;
  std::string first_error;  // Guarded by mu.
};

// One call slot: sends, and sends again on completion until the stop phase.
class Slot {
 public:
  Slot(grpc::GenericStub* stub, const grpc::ByteBuffer& request, Shared* shared)
      : stub_(stub), request_(request), shared_(shared) {}

  void Send() {
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    response_.Clear();
    measured_ = shared_->phase.load(std::memory_order_relaxed) == kMeasure;
    started_ = Clock::now();
    stub_->UnaryCall(context_.get(), kRouteMethod, grpc::StubOptions(), &request_,
                     &response_, [this](grpc::Status status) { OnDone(status); });
  }

  const std::vector<float>& latencies_us() const { return latencies_us_; }
  int64_t completed() const { return completed_; }

 private:
  void OnDone(const grpc::Status& status) {
    const Clock::time_point now = Clock::now();
    const int phase = shared_->phase.load(std::memory_order_relaxed);
    if (!status.ok()) {
      std::lock_guard<std::mutex> lock(shared_->mu);
      if (shared_->first_error.empty()) {
        shared_->first_error = absl::StrCat("code ", status.error_code(), ": ",
                                            status.error_message());
      }
      shared_->phase = kStop;
    } else if (phase == kMeasure) {
      ++completed_;  // Throughput counts every call that ends in the window,
      if (measured_) {  // latency those that also began in it.
        latencies_us_.push_back(
            std::chrono::duration<float, std::micro>(now - started_).count());
      }
    }
    if (phase != kStop && status.ok()) {
      Send();
    } else if (shared_->live.fetch_sub(1) == 1) {
      std::lock_guard<std::mutex> lock(shared_->mu);
      shared_->drained.notify_all();
    }
  }

  grpc::GenericStub* stub_;
  grpc::ByteBuffer request_;
  Shared* shared_;
  std::unique_ptr<grpc::ClientContext> context_;
  grpc::ByteBuffer response_;
  bool measured_ = false;
  Clock::time_point started_;
  std::vector<float> latencies_us_;
  int64_t completed_ = 0;
};

double Percentile(const std::vector<float>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

grpc::ByteBuffer Bytes(const std::string& bytes) {
  grpc::Slice slice(bytes.data(), bytes.size());
  return grpc::ByteBuffer(&slice, 1);
}

}  // namespace

absl::StatusOr<std::string> CallOnce(const std::string& address, const std::string& method,
                                     const std::string& request) {
  grpc::GenericStub stub(Channel(address, 0));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  const grpc::ByteBuffer request_bytes = Bytes(request);
  grpc::ByteBuffer response;
  std::mutex mu;
  std::condition_variable done;
  bool finished = false;
  grpc::Status status;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request_bytes, &response,
                 [&](grpc::Status s) {
                   std::lock_guard<std::mutex> lock(mu);
                   status = std::move(s);
                   finished = true;
                   done.notify_all();
                 });
  std::unique_lock<std::mutex> lock(mu);
  done.wait(lock, [&] { return finished; });
  if (!status.ok()) {
    return absl::UnavailableError(absl::StrCat(method, " on ", address, ": code ",
                                               status.error_code(), ": ",
                                               status.error_message()));
  }
  grpc::Slice slice;
  if (!response.DumpToSingleSlice(&slice).ok()) return std::string();
  return std::string(reinterpret_cast<const char*>(slice.begin()), slice.size());
}

absl::StatusOr<LoadResult> RunLoad(const LoadOptions& options) {
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs;
  for (int i = 0; i < std::max(1, options.channels); ++i) {
    stubs.push_back(std::make_unique<grpc::GenericStub>(Channel(options.address, i)));
  }
  const grpc::ByteBuffer request = Bytes(options.request);
  Shared shared;
  std::vector<std::unique_ptr<Slot>> slots;
  for (int i = 0; i < std::max(1, options.in_flight); ++i) {
    slots.push_back(std::make_unique<Slot>(stubs[i % stubs.size()].get(), request, &shared));
  }
  shared.live = static_cast<int>(slots.size());
  for (auto& slot : slots) slot->Send();

  auto sleep = [&](absl::Duration d) {
    std::this_thread::sleep_for(absl::ToChronoMicroseconds(d));
  };
  sleep(options.warmup);
  absl::StatusOr<absl::Duration> cpu_before = options.server_cpu();
  const int64_t switches_before = options.server_switches ? options.server_switches() : 0;
  const Clock::time_point t0 = Clock::now();
  shared.phase = kMeasure;
  sleep(options.measure);
  shared.phase = kStop;
  const Clock::time_point t1 = Clock::now();
  absl::StatusOr<absl::Duration> cpu_after = options.server_cpu();
  const int64_t switches_after = options.server_switches ? options.server_switches() : 0;
  {
    std::unique_lock<std::mutex> lock(shared.mu);
    shared.drained.wait(lock, [&] { return shared.live.load() == 0; });
    if (!shared.first_error.empty()) {
      return absl::UnavailableError(
          absl::StrCat("a call to ", options.address, " failed: ", shared.first_error));
    }
  }
  if (!cpu_before.ok()) return cpu_before.status();
  if (!cpu_after.ok()) return cpu_after.status();

  std::vector<float> all;
  LoadResult result;
  for (const auto& slot : slots) {
    result.calls += slot->completed();
    all.insert(all.end(), slot->latencies_us().begin(), slot->latencies_us().end());
  }
  std::sort(all.begin(), all.end());
  result.seconds = std::chrono::duration<double>(t1 - t0).count();
  result.p50_us = Percentile(all, 0.50);
  result.p99_us = Percentile(all, 0.99);
  result.server_cpu_us = absl::ToDoubleMicroseconds(*cpu_after - *cpu_before);
  result.server_switches = switches_after - switches_before;
  // The last callback may still be unwinding inside gRPC; let it finish
  // before the slots go.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  return result;
}

}  // namespace escalation::bench
