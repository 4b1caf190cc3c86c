// escalation-loadgen: keeps --concurrency Route calls in flight against a
// running server for --duration and prints throughput and latency
// percentiles. The request mix is a set of realistic calls, or one
// RouteRequest in JSON (--input).
//   escalation-loadgen --server=localhost:50051 --concurrency=64 --duration=10s
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <sstream>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/time/clock.h"
#include "escalation/v1/service.grpc.pb.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "tools/lib/client_tls.h"

ABSL_FLAG(std::string, server, "localhost:50051", "Server address");
ABSL_FLAG(std::string, tls_ca, "", "Verify the server against this CA (PEM); turns TLS on");
ABSL_FLAG(std::string, tls_cert, "", "Client certificate (PEM) for mutual TLS");
ABSL_FLAG(std::string, tls_key, "", "The client certificate's private key (PEM)");
ABSL_FLAG(std::string, tls_server_name, "",
          "Name expected in the server's certificate, when not the host of --server");
ABSL_FLAG(int, concurrency, 32, "Calls kept in flight");
ABSL_FLAG(int, channels, 4, "gRPC channels (connections) to spread calls over");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(10), "How long to run");
ABSL_FLAG(std::string, input, "", "A RouteRequest in JSON to send instead of the mix");

namespace {

namespace v1 = escalation::v1;

std::vector<v1::RouteRequest> BuiltInMix() {
  auto call = [](v1::Department department, std::vector<v1::Reason> reasons) {
    v1::RouteRequest r;
    r.mutable_call()->set_department(department);
    r.mutable_call()->set_site("tampa");
    r.mutable_call()->set_customer_name("Ada Lovelace");
    for (v1::Reason reason : reasons) r.mutable_call()->add_reasons(reason);
    return r;
  };
  std::vector<v1::RouteRequest> mix = {
      call(v1::CUSTOMER_SERVICE, {v1::CANCEL_CONTRACT}),
      call(v1::CUSTOMER_SERVICE, {v1::UPDATE_ZIP_CODE}),
      call(v1::CUSTOMER_SERVICE, {v1::CINCH_SERVICE_DELAY}),
      call(v1::CUSTOMER_SERVICE, {v1::EXECUTIVE_REQUEST}),
      call(v1::TELESALES_RETENTION, {v1::SUPERVISOR_REQUEST}),
      call(v1::TELESALES_RETENTION, {v1::MEDICAL_EMERGENCY}),
  };
  mix[2].mutable_call()->set_de_escalation_failed(true);
  mix[2].mutable_call()->mutable_live_transfer_queue_wait()->set_seconds(200);
  mix[4].mutable_call()->set_de_escalation_failed(true);
  mix[4].mutable_call()->set_supervisor_available(false);
  return mix;
}

struct Results {
  std::mutex mu;
  std::vector<double> latencies_us;
  int64_t errors = 0;
  std::string first_error;
};

// One call slot: sends, records, sends again until the deadline.
class Slot {
 public:
  Slot(v1::RoutingService::Stub* stub, const v1::RouteRequest* request,
       absl::Time deadline, Results* results, std::atomic<int>* live,
       std::condition_variable* done)
      : stub_(stub), request_(request), deadline_(deadline), results_(results),
        live_(live), done_(done) {}

  void Send() {
    context_ = std::make_unique<grpc::ClientContext>();
    context_->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(5)));
    response_.Clear();
    started_ = absl::Now();
    stub_->async()->Route(context_.get(), request_, &response_,
                          [this](grpc::Status status) { OnDone(status); });
  }

 private:
  void OnDone(const grpc::Status& status) {
    const absl::Time now = absl::Now();
    {
      std::lock_guard<std::mutex> lock(results_->mu);
      if (status.ok()) {
        results_->latencies_us.push_back(absl::ToDoubleMicroseconds(now - started_));
      } else if (results_->errors++ == 0) {
        results_->first_error = status.error_message();
      }
    }
    if (now < deadline_) {
      Send();
    } else if (live_->fetch_sub(1) == 1) {
      std::lock_guard<std::mutex> lock(results_->mu);
      done_->notify_all();
    }
  }

  v1::RoutingService::Stub* stub_;
  const v1::RouteRequest* request_;
  absl::Time deadline_;
  Results* results_;
  std::atomic<int>* live_;
  std::condition_variable* done_;
  std::unique_ptr<grpc::ClientContext> context_;
  v1::RouteResponse response_;
  absl::Time started_;
};

double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  return sorted[std::min(sorted.size() - 1, static_cast<size_t>(p * sorted.size()))];
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage("Load generator for the escalation policy server.");
  absl::ParseCommandLine(argc, argv);
  std::vector<v1::RouteRequest> mix = BuiltInMix();
  if (const std::string input = absl::GetFlag(FLAGS_input); !input.empty()) {
    std::ifstream in(input);
    std::stringstream text;
    text << in.rdbuf();
    v1::RouteRequest request;
    if (!in || !google::protobuf::util::JsonStringToMessage(text.str(), &request).ok()) {
      std::fprintf(stderr, "escalation-loadgen: --input %s is not a RouteRequest in JSON\n",
                   input.c_str());
      return 2;
    }
    mix = {request};
  }
  const int concurrency = std::max(1, absl::GetFlag(FLAGS_concurrency));
  escalation::tools::ClientTls tls{absl::GetFlag(FLAGS_tls_ca), absl::GetFlag(FLAGS_tls_cert),
                                    absl::GetFlag(FLAGS_tls_key),
                                    absl::GetFlag(FLAGS_tls_server_name)};
  std::vector<std::unique_ptr<v1::RoutingService::Stub>> stubs;
  for (int i = 0; i < std::max(1, absl::GetFlag(FLAGS_channels)); ++i) {
    grpc::ChannelArguments args;
    args.SetInt("grpc.channel_id", i);  // Distinct arguments: a connection each.
    auto channel = escalation::tools::Connect(absl::GetFlag(FLAGS_server), tls, args);
    if (!channel.ok()) {
      std::fprintf(stderr, "escalation-loadgen: %s\n",
                   std::string(channel.status().message()).c_str());
      return 2;
    }
    stubs.push_back(v1::RoutingService::NewStub(*channel));
  }

  Results results;
  std::atomic<int> live{concurrency};
  std::condition_variable done;
  const absl::Time start = absl::Now();
  const absl::Time deadline = start + absl::GetFlag(FLAGS_duration);
  std::vector<std::unique_ptr<Slot>> slots;
  for (int i = 0; i < concurrency; ++i) {
    slots.push_back(std::make_unique<Slot>(stubs[i % stubs.size()].get(),
                                           &mix[i % mix.size()], deadline, &results,
                                           &live, &done));
  }
  for (auto& slot : slots) slot->Send();
  {
    std::unique_lock<std::mutex> lock(results.mu);
    done.wait(lock, [&] { return live.load() == 0; });
  }
  const double seconds = absl::ToDoubleSeconds(absl::Now() - start);
  // The last callback may still be unwinding inside gRPC; the slots outlive it
  // because the process exits right after the report. They stay reachable
  // from a global till then, so a leak checker does not count them (it did,
  // in some runs, once they were released into nowhere).
  static auto* const kept = new std::vector<std::unique_ptr<Slot>>();
  *kept = std::move(slots);

  std::vector<double>& l = results.latencies_us;
  std::sort(l.begin(), l.end());
  std::printf("calls: %zu ok, %lld failed in %.1f s, concurrency %d\n", l.size(),
              static_cast<long long>(results.errors), seconds, concurrency);
  std::printf("throughput: %.0f calls/s\n", l.size() / seconds);
  std::printf("latency us: p50 %.0f  p90 %.0f  p99 %.0f  p99.9 %.0f  max %.0f\n",
              Percentile(l, 0.50), Percentile(l, 0.90), Percentile(l, 0.99),
              Percentile(l, 0.999), l.empty() ? 0.0 : l.back());
  if (results.errors > 0) {
    std::printf("first error: %s\n", results.first_error.c_str());
    return 1;
  }
  return 0;
}
