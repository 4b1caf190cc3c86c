// A Route answer written from the wire bytes the plugins sent: the merge
// (docs/architecture.md, The merge) done on the proposals' bytes, so the host
// neither parses the plugins' answers nor serializes the response. It checks
// the bytes as protobuf's parse would, and credits each rule that names no
// plugin, on the wire.
#ifndef ESCALATION_SERVER_WIRE_DECISION_WIRE_H_
#define ESCALATION_SERVER_WIRE_DECISION_WIRE_H_

#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/types/span.h"
#include "absl/strings/string_view.h"
#include "escalation/v1/plugin.pb.h"
#include "google/protobuf/descriptor.h"
#include "server/plugin/plugin.h"

namespace escalation::host {

class Citations;  // fixed_texts.h

// Whether protobuf would parse `bytes` as a `type`: well-formed wire format
// within protobuf's depth limit, every string field UTF-8. False also for
// what this check does not follow (groups, packed fields): the caller then
// parses the bytes, which accepts them or words the error. Only the types
// a plugin answer can hold are known to it. `citations`: when given, a
// proposal's Decision's length-delimited field may be a citation of a fixed
// text (fixed_texts.h), taken as checked; the walk finds them into it (then
// valid only when this returns true).
bool ParsesAs(const google::protobuf::Descriptor& type, absl::string_view bytes,
              Citations* citations = nullptr);

// A proposal as its plugin wrote it, for the merge on the wire.
class WireProposal {
 public:
  virtual ~WireProposal() = default;
  // Proposal wire bytes, checked with ParsesAs.
  virtual absl::string_view proposal_bytes() const = 0;
  // The Plugin a matched rule of it that names none is credited to.
  virtual const Plugin& Credit(absl::string_view rule_id) const = 0;
};

// A RouteResponse's wire bytes and what the observers read of them.
struct RouteResponseBytes {
  struct Rule {
    // Borrowed from the plugin's answer, and the plugins' names.
    absl::string_view id, plugin;
  };
  std::string bytes;
  v1::Action action = v1::ACTION_UNSPECIFIED;
  v1::Decision::Destination destination = v1::Decision::DESTINATION_UNSPECIFIED;
  absl::InlinedVector<Rule, 16> rules;
};

// Writes RouteResponse{decision, evaluation_time} from `proposals` (highest
// priority first, as the merge orders them) as MergeProposals would merge
// them once parsed and credited, walking the same rules (merge_rules.h):
// the winner's decision, what each proposal that fits under it adds, a note
// for each it outranks. False, writing nothing, when the winner repeats one
// of its own items (a script, step, record, note or rule), an item compared
// whole (a record) is not as protobuf would write it, or a decision comes in
// more than one piece: the caller then parses and merges.
bool WriteRouteResponse(absl::Span<const WireProposal* const> proposals,
                        const google::protobuf::Timestamp& evaluation_time,
                        RouteResponseBytes* out);

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_WIRE_DECISION_WIRE_H_
