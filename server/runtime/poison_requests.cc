#include "server/runtime/poison_requests.h"

#include "absl/strings/str_cat.h"
#include "server/loading/sha256.h"
#include "server/wire/wire_reader.h"

namespace escalation::runtime {
namespace {

// Every plugin request's field 2 is the evaluation time, which the server
// stamps on each call the client gave none: the request is the rest.
constexpr uint32_t kEvaluationTimeField = 2;

std::string KeyOf(host::PluginMethod method, absl::string_view request) {
  host::Sha256 digest;
  const char tag = static_cast<char>(method);
  digest.Update(absl::string_view(&tag, 1));
  host::wire::FieldReader fields(request);
  host::wire::Field field;
  std::string rest;
  while (fields.Next(&field)) {
    if (field.number != kEvaluationTimeField) rest.append(field.raw.data(), field.raw.size());
  }
  digest.Update(fields.broken() ? request : absl::string_view(rest));
  return digest.HexDigest();
}

}  // namespace

bool PoisonRequests::RecordCrash(host::PluginMethod method, absl::string_view request,
                                 const std::string& cause, absl::Time now) {
  const std::string key = KeyOf(method, request);
  absl::MutexLock lock(&mu_);
  Prune(now);
  Entry& entry = entries_[key];
  if (entry.crashes > 0 && now - entry.last_crash > remember_) entry.crashes = 0;
  ++entry.crashes;
  entry.last_crash = now;
  entry.cause = cause;
  any_.store(true, std::memory_order_release);
  if (entry.crashes < 2) return false;
  entry.refused_until = now + refuse_;
  return true;
}

absl::Status PoisonRequests::Check(host::PluginMethod method, absl::string_view request,
                                   absl::Time now) {
  if (!any_.load(std::memory_order_acquire)) return absl::OkStatus();
  const std::string key = KeyOf(method, request);
  absl::MutexLock lock(&mu_);
  if (now - pruned_at_ > remember_) Prune(now);
  auto it = entries_.find(key);
  if (it == entries_.end() || now >= it->second.refused_until) return absl::OkStatus();
  return absl::InternalError(absl::StrCat(
      "plugin ", plugin_, " refuses this ", host::MethodName(method), " request: it crashed ",
      it->second.crashes, " of the plugin's workers (the last ", it->second.cause,
      "); it is refused until ",
      absl::FormatTime(it->second.refused_until, absl::UTCTimeZone())));
}

void PoisonRequests::Prune(absl::Time now) {
  auto stale = [&](const Entry& e) {
    return now - e.last_crash > remember_ && now >= e.refused_until;
  };
  absl::erase_if(entries_, [&](const auto& kv) { return stale(kv.second); });
  if (entries_.size() >= kMaxEntries) {
    auto stalest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->second.last_crash < stalest->second.last_crash) stalest = it;
    }
    entries_.erase(stalest);
  }
  pruned_at_ = now;
  any_.store(!entries_.empty(), std::memory_order_release);
}

}  // namespace escalation::runtime
