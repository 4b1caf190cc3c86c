// A proposal as it crossed the plugin boundary: its wire bytes, and what the
// host needs of it before any Admit (its priority, action and destination),
// read without building the message.
// A proposal on its way to another plugin's Admit travels as these bytes,
// so it is parsed and serialized by that plugin alone; only a proposal that
// reaches the merge as it was proposed is parsed by the host.
#ifndef ESCALATION_SERVER_WIRE_PROPOSAL_WIRE_H_
#define ESCALATION_SERVER_WIRE_PROPOSAL_WIRE_H_

#include <string>

#include "absl/container/inlined_vector.h"

#include "absl/strings/string_view.h"
#include "escalation/v1/plugin.pb.h"
#include "google/protobuf/arena.h"

namespace escalation::host {

struct ProposalWire {
  absl::string_view bytes;  // Borrowed from the answer that carried it.
  v1::Priority priority = v1::PRIORITY_UNSPECIFIED;
  v1::Action action = v1::ACTION_UNSPECIFIED;
  v1::Decision::Destination destination = v1::Decision::DESTINATION_UNSPECIFIED;
};
using ProposalWires = absl::InlinedVector<ProposalWire, 4>;

// Reads the proposals of PluginRouteResponse wire bytes, as protobuf would
// (a field of an unexpected type is an unknown field, a scalar given twice
// keeps its last value, a message given twice is merged). False when the
// bytes are not wire format this reader follows; the caller then parses
// them whole, which either accepts them or words the error.
bool ReadProposals(absl::string_view route_response, ProposalWires* proposals);

// The ids of the rules the proposal of `proposal_bytes` (read by
// ReadProposals) cites in decision.matched_rules, borrowed from the bytes.
using RuleIds = absl::InlinedVector<absl::string_view, 16>;
RuleIds CitedRules(absl::string_view proposal_bytes);

// Reads one Proposal's wire bytes as ReadProposals reads each.
bool ReadProposal(absl::string_view proposal_bytes, ProposalWire* proposal);

// What PluginAdmitResponse wire bytes hold: the last proposal given as
// `amended` and the last edit (ABI 1.2), each with how many pieces were given
// (protobuf merges them all).
struct AdmitAnswerWire {
  absl::string_view amended;
  int amended_pieces = 0;
  absl::string_view edit;
  int edit_pieces = 0;
};
// False when the bytes are not wire format this reader follows.
bool ReadAdmitAnswer(absl::string_view admit_response, AdmitAnswerWire* answer);

// A PluginAdmitRequest's bytes, written on `arena`: `route_request` (a
// PluginRouteRequest's: an admit request's fields 1 and 2 are the same) and
// then its proposal (field 3) holding `proposal_bytes`.
absl::string_view WriteAdmitRequest(absl::string_view route_request,
                                    absl::string_view proposal_bytes,
                                    google::protobuf::Arena* arena);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_WIRE_PROPOSAL_WIRE_H_
