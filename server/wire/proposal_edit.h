// An admitting plugin's edit of a proposal (plugin ABI 1.2: ProposalEdit in
// plugin.proto), applied by the host on the proposal's wire bytes: the
// admitter reads only the proposal's head and writes only what it changes,
// so the rest of the proposal is neither parsed nor written by anyone
// (docs/architecture.md, The path of one call).
#ifndef ESCALATION_SERVER_WIRE_PROPOSAL_EDIT_H_
#define ESCALATION_SERVER_WIRE_PROPOSAL_EDIT_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "escalation/v1/plugin.pb.h"
#include "google/protobuf/arena.h"

namespace escalation::host {

// The Proposal wire bytes ProposalEdit wire bytes `edit` make of
// `proposal` (checked wire bytes, as protobuf would parse them), written on
// `arena`: `edit`'s output edits made as `manifest` declares them, its
// resets, then its decision merged in (plugin.proto says how). One decision
// field, first, then the proposal's other fields. INVALID_ARGUMENT when the
// edit names a rule `manifest` declares no output edit for, or a reset that
// is no field of Decision; the caller names the plugin.
absl::StatusOr<absl::string_view> ApplyProposalEdit(absl::string_view proposal,
                                                    absl::string_view edit,
                                                    const v1::PluginManifest& manifest,
                                                    google::protobuf::Arena* arena);

// Proposal wire bytes of only `proposal`'s priority and its decision's
// action and destination, written on `arena`: what a plugin that admits by
// edit is sent (PluginManifest.admit_request_form).
absl::string_view WriteProposalHead(v1::Priority priority, v1::Action action,
                                    v1::Decision::Destination destination,
                                    google::protobuf::Arena* arena);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_WIRE_PROPOSAL_EDIT_H_
