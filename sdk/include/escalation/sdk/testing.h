// Small helpers for a plugin's own unit tests (header only; uses nothing but
// the SDK and Abseil).
#ifndef ESCALATION_SDK_TESTING_H_
#define ESCALATION_SDK_TESTING_H_

#include <algorithm>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "escalation/sdk/outcome.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/time.h"
#include "escalation/v1/decision.pb.h"
#include "escalation/v1/plugin.pb.h"

namespace escalation::sdk::testing {

// The instant an RFC 3339 literal names, e.g. "2026-11-21T21:29:00Z". A
// malformed literal gives InfinitePast, which no expectation will match.
inline absl::Time At(const char* rfc3339) {
  absl::Time t;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, rfc3339, &t, &error)) {
    return absl::InfinitePast();
  }
  return t;
}

// The rule ids of matched rules, violations or findings, in order.
template <typename Items>
std::vector<std::string> RuleIdsOf(const Items& items) {
  std::vector<std::string> ids;
  for (const auto& item : items) ids.push_back(item.rule_id());
  return ids;
}

inline std::vector<std::string> RuleIds(const ::escalation::v1::Decision& d) {
  return RuleIdsOf(d.matched_rules());
}

inline std::vector<std::string> StepTexts(const ::escalation::v1::Decision& d) {
  std::vector<std::string> texts;
  for (const auto& step : d.steps()) texts.push_back(step.text());
  return texts;
}

// Calls a plugin's hooks as the server does, with the evaluation instant `now`.
inline absl::StatusOr<v1::PluginRouteResponse> RouteAt(const Plugin& plugin,
                                                        const v1::CallFacts& call,
                                                        absl::Time now) {
  v1::PluginRouteRequest request;
  *request.mutable_call() = call;
  *request.mutable_evaluation_time() = ToProto(now);
  v1::PluginRouteResponse response;
  if (absl::Status s = plugin.Route(request, &response); !s.ok()) return s;
  return response;
}

// What the server makes of an admitting plugin's edit (ProposalEdit in
// plugin.proto) of `proposal`, for the plugin's own tests: the output edits
// `manifest` declares for its rules made, its resets, its decision merged in.
// INVALID_ARGUMENT, as the server refuses it, when it names a rule with no
// declared output edit or a reset that is no field of Decision.
inline absl::StatusOr<v1::Proposal> ApplyEdit(const v1::PluginManifest& manifest,
                                              const v1::ProposalEdit& edit,
                                              v1::Proposal proposal) {
  v1::Decision* d = proposal.mutable_decision();
  for (const std::string& by : edit.output_edits_by()) {
    bool declared = false;
    for (const v1::OutputEdit& e : manifest.output_edits()) {
      if (e.rule_id() != by) continue;
      declared = true;
      RemoveOutput(e.removes_rule_id(), e.removes_script_id(), d);
    }
    if (!declared) {
      return absl::InvalidArgumentError("the edit makes the output edits of rule \"" + by +
                                        "\", for which the manifest declares none");
    }
  }
  // By name, as the lite runtime a plugin links has no descriptors.
  const std::pair<const char*, void (*)(v1::Decision*)> clears[] = {
      {"action", [](v1::Decision* x) { x->clear_action(); }},
      {"destination", [](v1::Decision* x) { x->clear_destination(); }},
      {"transfer_mode", [](v1::Decision* x) { x->clear_transfer_mode(); }},
      {"requires_supervisor_approval",
       [](v1::Decision* x) { x->clear_requires_supervisor_approval(); }},
      {"summary", [](v1::Decision* x) { x->clear_summary(); }},
      {"scripts", [](v1::Decision* x) { x->clear_scripts(); }},
      {"steps", [](v1::Decision* x) { x->clear_steps(); }},
      {"required_records", [](v1::Decision* x) { x->clear_required_records(); }},
      {"callback", [](v1::Decision* x) { x->clear_callback(); }},
      {"destination_hours", [](v1::Decision* x) { x->clear_destination_hours(); }},
      {"matched_rules", [](v1::Decision* x) { x->clear_matched_rules(); }},
      {"notes", [](v1::Decision* x) { x->clear_notes(); }},
      {"extensions", [](v1::Decision* x) { x->clear_extensions(); }},
      {"supervisor_permissions", [](v1::Decision* x) { x->clear_supervisor_permissions(); }},
  };
  for (const std::string& path : edit.resets().paths()) {
    const auto* clear = std::find_if(std::begin(clears), std::end(clears),
                                     [&](const auto& c) { return path == c.first; });
    if (clear == std::end(clears)) {
      return absl::InvalidArgumentError("the edit resets \"" + path +
                                        "\", which is no field of escalation.v1.Decision");
    }
    clear->second(d);
  }
  d->MergeFrom(edit.decision());
  return proposal;
}

// Calls a plugin's Admit as the server does with `proposal`, and returns the
// proposal as the server then takes it: the amended one, `proposal` with the
// answer's edit applied (ApplyEdit), or `proposal` as it was. A plugin that
// admits by edit (Plugin::AdmitsByEdit) is sent only the proposal's head.
inline absl::StatusOr<v1::Proposal> AdmitAt(const Plugin& plugin, const v1::CallFacts& call,
                                            const v1::Proposal& proposal, absl::Time now) {
  v1::PluginAdmitRequest request;
  *request.mutable_call() = call;
  *request.mutable_evaluation_time() = ToProto(now);
  if (plugin.manifest().admit_request_form() == v1::ADMIT_REQUEST_FORM_PROPOSAL_HEAD) {
    v1::Proposal* head = request.mutable_proposal();
    head->set_priority(proposal.priority());
    head->mutable_decision()->set_action(proposal.decision().action());
    head->mutable_decision()->set_destination(proposal.decision().destination());
  } else {
    *request.mutable_proposal() = proposal;
  }
  v1::PluginAdmitResponse response;
  if (absl::Status s = plugin.Admit(request, &response); !s.ok()) return s;
  if (response.has_amended() && response.has_edit()) {
    return absl::InternalError("Admit answered with both an amended proposal and an edit");
  }
  if (response.has_amended()) return response.amended();
  if (response.has_edit()) return ApplyEdit(plugin.manifest(), response.edit(), proposal);
  return proposal;
}

inline absl::StatusOr<v1::PluginValidateResponse> ValidateAt(const Plugin& plugin,
                                                              const v1::Task& task,
                                                              absl::Time now) {
  v1::PluginValidateRequest request;
  *request.mutable_task() = task;
  *request.mutable_evaluation_time() = ToProto(now);
  v1::PluginValidateResponse response;
  if (absl::Status s = plugin.Validate(request, &response); !s.ok()) return s;
  return response;
}

}  // namespace escalation::sdk::testing

#endif  // ESCALATION_SDK_TESTING_H_
