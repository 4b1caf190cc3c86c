#include "tools/bench/report.h"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "absl/strings/str_format.h"

namespace escalation::bench {
namespace {

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// The median over rounds of `figure`, or of figure(server) / figure(echo)
// taken round by round (each round ran the two back to back).
double MedianOf(const std::vector<LoadResult>& results,
                const std::function<double(const LoadResult&)>& figure) {
  std::vector<double> values;
  for (const LoadResult& r : results) values.push_back(figure(r));
  return Median(values);
}
double MedianRatio(const std::vector<LoadResult>& server,
                   const std::vector<LoadResult>& echo,
                   const std::function<double(const LoadResult&)>& figure) {
  std::vector<double> ratios;
  for (size_t i = 0; i < server.size() && i < echo.size(); ++i) {
    if (figure(echo[i]) > 0) ratios.push_back(figure(server[i]) / figure(echo[i]));
  }
  return Median(ratios);
}

double CallsPerSecond(const LoadResult& r) { return r.calls_per_second(); }
double CpuPerCall(const LoadResult& r) { return r.cpu_us_per_call(); }
double P50(const LoadResult& r) { return r.p50_us; }
double P99(const LoadResult& r) { return r.p99_us; }

}  // namespace

void PrintRound(const std::string& request, int in_flight, int round,
                const LoadResult& server, const LoadResult& echo) {
  std::printf(
      "round %d  %-12s in flight %-4d server %7.0f calls/s p50 %5.0f p99 %5.0f us "
      "cpu %5.1f us/call sw %4.1f/call | echo %7.0f calls/s p50 %5.0f p99 %5.0f us "
      "cpu %5.1f us/call sw %4.1f/call | %.2fx calls/s, %.2fx cpu\n",
      round + 1, request.c_str(), in_flight, server.calls_per_second(), server.p50_us,
      server.p99_us, server.cpu_us_per_call(), server.switches_per_call(),
      echo.calls_per_second(), echo.p50_us, echo.p99_us, echo.cpu_us_per_call(),
      echo.switches_per_call(),
      echo.calls_per_second() > 0 ? server.calls_per_second() / echo.calls_per_second() : 0,
      echo.cpu_us_per_call() > 0 ? server.cpu_us_per_call() / echo.cpu_us_per_call() : 0);
  std::fflush(stdout);
}

void Report::AddRound(const NamedRequest& request, int in_flight,
                      const LoadResult& server, const LoadResult& echo) {
  const Key key{in_flight, request.name};
  auto [it, added] = rounds_.try_emplace(key);
  if (added) order_.push_back(key);
  it->second.what = request.what;
  it->second.server.push_back(server);
  it->second.echo.push_back(echo);
}

void Report::Print() const {
  std::printf(
      "\nMedians over rounds; ratios are server/echo, taken round by round.\n\n"
      "| request | in flight | server calls/s | echo calls/s | ratio | server p50/p99 us "
      "| echo p50/p99 us | server CPU us/call | echo CPU us/call | CPU ratio |\n"
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
  for (const Key& key : order_) {
    const Rounds& r = rounds_.at(key);
    std::printf(
        "| %s | %d | %.0f | %.0f | %.2fx | %.0f / %.0f | %.0f / %.0f | %.1f | %.1f | "
        "%.2fx |\n",
        key.second.c_str(), key.first, MedianOf(r.server, CallsPerSecond),
        MedianOf(r.echo, CallsPerSecond), MedianRatio(r.server, r.echo, CallsPerSecond),
        MedianOf(r.server, P50), MedianOf(r.server, P99), MedianOf(r.echo, P50),
        MedianOf(r.echo, P99), MedianOf(r.server, CpuPerCall),
        MedianOf(r.echo, CpuPerCall), MedianRatio(r.server, r.echo, CpuPerCall));
  }

  // The rows, at 64 in flight when that was run, else the first count.
  const int in_flight = order_.empty() ? 64 : order_.front().first;
  int steer = in_flight;
  for (const Key& key : order_) {
    if (key.first == 64) steer = 64;
  }
  auto ratio = [&](const std::string& name, double (*figure)(const LoadResult&)) {
    auto it = rounds_.find(Key{steer, name});
    if (it == rounds_.end()) return std::string("not run");
    return absl::StrFormat("%.2fx", MedianRatio(it->second.server, it->second.echo, figure));
  };
  std::vector<double> starts_ms;
  for (absl::Duration d : start_times_) starts_ms.push_back(absl::ToDoubleMilliseconds(d));
  std::printf(
      "\n| figure | measured |\n| --- | --- |\n"
      "| served calls/s at %d in flight, simple decision, vs the echo floor | %s |\n"
      "| served calls/s at %d in flight, heaviest decision, vs the echo floor | %s |\n"
      "| server CPU per call vs the echo floor, simple / heaviest | %s / %s |\n"
      "| start to SERVING with four plugins (median of %zu); RSS under load, workers included (peak); "
      "their PSS | %.0f ms; %.0f MB (%.0f MB); %.0f MB |\n",
      steer, ratio("simple", CallsPerSecond).c_str(), steer,
      ratio("heaviest", CallsPerSecond).c_str(), ratio("simple", CpuPerCall).c_str(),
      ratio("heaviest", CpuPerCall).c_str(), starts_ms.size(), Median(starts_ms),
      rss_bytes_ / 1048576.0, peak_rss_bytes_ / 1048576.0, pss_bytes_ / 1048576.0);
}

}  // namespace escalation::bench
