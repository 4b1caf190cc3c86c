#include "server/engine/route_call.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "server/wire/fixed_texts.h"
#include "server/wire/decision_wire.h"
#include "server/merge/merge.h"
#include "server/engine/plugin_answer.h"
#include "server/engine/routed_proposal.h"
#include "server/wire/proposal_edit.h"
#include "server/wire/proposal_wire.h"

namespace escalation::host {
namespace {

// Lends a decision's response bytes the buffer this thread kept from its
// last decision, and keeps it back (up to 256 KiB) for the next: the bytes
// are read while the decision's `done` runs (written on the wire, parsed for
// the decision log), never after.
class ThreadResponseBuffer {
 public:
  explicit ThreadResponseBuffer(std::string* bytes) : bytes_(bytes) { bytes_->swap(Kept()); }
  ~ThreadResponseBuffer() {
    bytes_->swap(Kept());
    Kept().clear();
    if (Kept().capacity() > 256 * 1024) std::string().swap(Kept());
  }
  ThreadResponseBuffer(const ThreadResponseBuffer&) = delete;
  ThreadResponseBuffer& operator=(const ThreadResponseBuffer&) = delete;

 private:
  static std::string& Kept() {
    thread_local std::string kept;
    return kept;
  }
  std::string* const bytes_;
};

// Every message of a decision lives on its arena: a decision is hundreds of
// small strings and messages.
struct RouteCall : std::enable_shared_from_this<RouteCall> {
  // User-provided, so make_shared does not zero the first block (16 KiB) first.
  RouteCall() {}

  static google::protobuf::ArenaOptions FirstBlock(char* block, size_t size) {
    google::protobuf::ArenaOptions options;
    options.initial_block = block;
    options.initial_block_size = size;
    return options;
  }
  alignas(8) char first_block[16 * 1024];
  google::protobuf::Arena arena{FirstBlock(first_block, sizeof first_block)};
  std::shared_ptr<const PluginRegistry> registry;
  absl::Time deadline;
  RouteDone done;
  google::protobuf::Timestamp evaluation_time;
  // The PluginRouteRequest's bytes. A PluginAdmitRequest is the same two
  // fields (call = 1, evaluation_time = 2) and then the proposal (3), so its
  // bytes are these followed by the proposal's: the facts are written once,
  // on the arena.
  absl::string_view request_bytes;
  const std::vector<const Plugin*>* routers = nullptr;
  size_t next_router = 0;
  absl::InlinedVector<RoutedProposal, 4> routed;
  v1::Decision top;
  size_t next_admit = 0;
  const Plugin* admitter = nullptr;  // Of the admit in progress.
  RouteResponseBytes response_bytes;  // When the answer is written on the wire.
  absl::InlinedVector<const char*, 4> checked;  // Plugin answers that passed ParsesAs.

  template <typename Message>
  Message* Create() {
    return google::protobuf::Arena::CreateMessage<Message>(&arena);
  }
  // Keeps bytes on the arena for as long as the decision borrows them.
  absl::string_view Keep(absl::string_view bytes) {
    char* kept = google::protobuf::Arena::CreateArray<char>(&arena, bytes.size());
    if (!bytes.empty()) std::memcpy(kept, bytes.data(), bytes.size());
    return absl::string_view(kept, bytes.size());
  }

  void Fail(absl::Status status) { std::move(done)(std::move(status)); }

  // Keeps `plugin`'s answer (of `type`) with its citations of fixed texts
  // expanded. The plugin's own bytes are checked here as they came, in the
  // walk that finds the citations, so the fragments, checked at load, are
  // not read again.
  absl::StatusOr<absl::string_view> KeepAnswer(const Plugin& plugin,
                                               const google::protobuf::Descriptor& type,
                                               absl::string_view answer) {
    absl::string_view expanded;
    bool cites = false, passes = false;
    if (absl::Status s =
            ExpandCheckedCitations(plugin, type, answer, &arena, &expanded, &cites, &passes);
        !s.ok()) {
      return s;
    }
    const absl::string_view kept = cites ? expanded : Keep(answer);
    if (passes) checked.push_back(kept.data());
    return kept;
  }

  void NextRoute() {
    if (next_router == routers->size()) return BeginAdmit();
    const Plugin* router = (*routers)[next_router++];
    // The reply captures only `self`, so it fits in the callback's own storage.
    router->Call(PluginMethod::kRoute, request_bytes, deadline,
                 [self = shared_from_this()](absl::StatusOr<absl::string_view> answer) {
                   self->OnRouted(*(*self->routers)[self->next_router - 1], answer);
                 });
  }

  void OnRouted(const Plugin& router, absl::StatusOr<absl::string_view> answer) {
    if (!answer.ok()) return Fail(answer.status());
    absl::StatusOr<absl::string_view> kept =
        KeepAnswer(router, *v1::PluginRouteResponse::descriptor(), *answer);
    if (!kept.ok()) return Fail(kept.status());
    const absl::string_view bytes = *kept;
    ProposalWires wires;
    if (!ReadProposals(bytes, &wires)) return RouteWhole(router, bytes);
    for (const ProposalWire& wire : wires) {
      RoutedProposal& r = routed.emplace_back();
      r.router = &router;
      r.proposal = Create<v1::Proposal>();
      r.proposal->set_priority(wire.priority);
      r.proposal->mutable_decision()->set_action(wire.action);
      r.proposal->mutable_decision()->set_destination(wire.destination);
      r.bytes = wire.bytes;
      r.answer = bytes;
    }
    NextRoute();
  }

  // Bytes the wire reader does not follow are parsed whole, as they always
  // were: protobuf accepts them, or the error names the plugin.
  void RouteWhole(const Plugin& router, absl::string_view bytes) {
    auto* answer = Create<v1::PluginRouteResponse>();
    if (absl::Status s = ParseAnswer(router, PluginMethod::kRoute, bytes, answer); !s.ok()) {
      return Fail(std::move(s));
    }
    for (v1::Proposal& proposal : *answer->mutable_proposals()) {
      Stamp(router, proposal.mutable_decision()->mutable_matched_rules());
      routed.emplace_back().proposal = &proposal;
      routed.back().router = &router;
    }
    NextRoute();
  }

  // Parses a proposal's bytes into it, its rules credited; the error names
  // the plugin that wrote them.
  absl::Status MakeWhole(RoutedProposal& r) {
    if (r.whole()) return absl::OkStatus();
    if (!r.proposal->ParseFromArray(r.bytes.data(), static_cast<int>(r.bytes.size()))) {
      return Unparseable(r.writer(), r.method(), r.answer_type());
    }
    r.bytes = {};
    Credit(r);
    return absl::OkStatus();
  }

  static void Credit(const RoutedProposal& r) {
    CreditRules(r.proposal->mutable_decision()->mutable_matched_rules(),
                [&r](const std::string& id) -> const Plugin& { return r.Credit(id); });
  }

  // Whether the router's answer that carried `r` parses (the wire check,
  // then protobuf itself when the check does not follow the bytes).
  absl::Status CheckRouterAnswer(const RoutedProposal& r) {
    if (r.whole() || PassesCheck(r.answer, *v1::PluginRouteResponse::descriptor())) {
      return absl::OkStatus();
    }
    v1::PluginRouteResponse parsed;
    if (parsed.ParseFromArray(r.answer.data(), static_cast<int>(r.answer.size()))) {
      return absl::OkStatus();
    }
    return Unparseable(*r.router, PluginMethod::kRoute, parsed.GetDescriptor()->full_name());
  }

  // Whether a plugin's answer passes ParsesAs as `type`; an answer that
  // carried several proposals is checked once.
  bool PassesCheck(absl::string_view answer, const google::protobuf::Descriptor& type) {
    if (std::find(checked.begin(), checked.end(), answer.data()) != checked.end()) return true;
    if (!ParsesAs(type, answer)) return false;
    checked.push_back(answer.data());
    return true;
  }

  // Only proposals that can be part of the decision are admitted: an
  // outranked one is dropped by the merge, and its destination's refusal
  // (say, no site for a Leadership Desk transfer) must not fail the call.
  // Which ones is decided before any is amended.
  void BeginAdmit() {
    OrderByPriority(absl::MakeSpan(routed),
                    [](const RoutedProposal& r) { return r.proposal->priority(); });
    if (!routed.empty()) {
      top.set_action(routed.front().proposal->decision().action());
      top.set_destination(routed.front().proposal->decision().destination());
    }
    NextAdmit();
  }

  void NextAdmit() {
    for (; next_admit < routed.size(); ++next_admit) {
      RoutedProposal& r = routed[next_admit];
      if (!FitsUnder(top, r.proposal->decision())) continue;
      admitter = registry->AdmitterFor(r.proposal->decision().destination());
      if (admitter == nullptr) continue;
      const absl::string_view bytes = WriteAdmitRequest(request_bytes, AdmitProposal(r), &arena);
      ++next_admit;
      admitter->Call(PluginMethod::kAdmit, bytes, deadline,
                     [self = shared_from_this()](absl::StatusOr<absl::string_view> answer) {
                       self->OnAdmitted(*self->admitter, self->next_admit - 1,
                                        std::move(answer));
                     });
      return;
    }
    Merge();
  }

  // The proposal as `admitter` is sent it: its head, when the admitter
  // admits by edit; else whole (a proposal parsed whole, which is rare: its
  // plugin wrote bytes the wire reader does not follow, is written anew).
  absl::string_view AdmitProposal(const RoutedProposal& r) {
    const v1::Proposal& p = *r.proposal;
    if (admitter->info().manifest().admit_request_form() ==
        v1::ADMIT_REQUEST_FORM_PROPOSAL_HEAD) {
      return WriteProposalHead(p.priority(), p.decision().action(), p.decision().destination(),
                               &arena);
    }
    return r.whole() ? Keep(p.SerializeAsString()) : r.bytes;
  }

  void OnAdmitted(const Plugin& by, size_t index, absl::StatusOr<absl::string_view> answer) {
    RoutedProposal& r = routed[index];
    // A proposal its router broke is the router's fault, whoever reads it
    // first (the admitter may refuse it, or amend it regardless).
    if (absl::Status s = CheckRouterAnswer(r); !s.ok()) return Fail(std::move(s));
    if (!answer.ok()) return Fail(answer.status());
    absl::StatusOr<absl::string_view> kept =
        KeepAnswer(by, *v1::PluginAdmitResponse::descriptor(), *answer);
    if (!kept.ok()) return Fail(kept.status());
    const absl::string_view bytes = *kept;
    AdmitAnswerWire admitted;
    if (!ReadAdmitAnswer(bytes, &admitted) || admitted.amended_pieces > 1 ||
        admitted.edit_pieces > 1) {
      return AdmitWhole(by, r, bytes);
    }
    if (admitted.amended_pieces == 1 && admitted.edit_pieces == 1) return Fail(BothGiven(by));
    if (admitted.amended_pieces == 1) {
      Amend(by, r);
      // A new message, parsed from the amended bytes when it must be (empty
      // bytes are an empty proposal, which a new message already is).
      r.proposal = Create<v1::Proposal>();
      r.bytes = admitted.amended;
      r.answer = bytes;
    } else if (admitted.edit_pieces == 1) {
      if (absl::Status s = Edit(by, r, admitted.edit, bytes); !s.ok()) return Fail(std::move(s));
    }
    NextAdmit();
  }

  static absl::Status BothGiven(const Plugin& by) {
    return absl::InternalError(absl::StrCat("plugin ", by.name(),
                                            " answered Admit with both an amended proposal "
                                            "and an edit; it may give one"));
  }

  // `r` edited by `by` (ABI 1.2): the edit applied to the proposal's bytes,
  // which become the admitter's answer as an amended proposal's do.
  absl::Status Edit(const Plugin& by, RoutedProposal& r, absl::string_view edit,
                    absl::string_view answer) {
    const absl::string_view proposal = r.whole() ? Keep(r.proposal->SerializeAsString()) : r.bytes;
    absl::StatusOr<absl::string_view> edited =
        ApplyProposalEdit(proposal, edit, by.info().manifest(), &arena);
    if (!edited.ok()) {
      return absl::InternalError(absl::StrCat("plugin ", by.name(), " answered Admit with an edit "
                                              "this server cannot apply: ",
                                              edited.status().message()));
    }
    Amend(by, r);
    r.proposal = Create<v1::Proposal>();
    r.bytes = *edited;
    r.answer = answer;
    return absl::OkStatus();
  }

  // `r` is now the admitter's; the rules its router's proposal cited stay
  // the router's.
  static void Amend(const Plugin& by, RoutedProposal& r) {
    r.router_rules = r.whole() ? RuleIds() : CitedRules(r.bytes);
    r.admitter = &by;
  }

  // An answer given in a form the wire reader does not follow is parsed
  // whole, as it always was.
  void AdmitWhole(const Plugin& by, RoutedProposal& r, absl::string_view bytes) {
    auto* admitted = Create<v1::PluginAdmitResponse>();
    if (absl::Status s = ParseAnswer(by, PluginMethod::kAdmit, bytes, admitted); !s.ok()) {
      return Fail(std::move(s));
    }
    if (admitted->has_amended() && admitted->has_edit()) return Fail(BothGiven(by));
    if (admitted->has_amended()) {
      Amend(by, r);
      r.proposal = admitted->mutable_amended();
      r.bytes = {};
      Credit(r);
    } else if (admitted->has_edit()) {
      const absl::string_view edit = Keep(admitted->edit().SerializeAsString());
      if (absl::Status s = Edit(by, r, edit, bytes); !s.ok()) return Fail(std::move(s));
    }
    NextAdmit();
  }

  void Merge() {
    if (MergeOnTheWire()) return;
    std::vector<v1::Proposal*> proposals;
    proposals.reserve(routed.size());
    for (RoutedProposal& r : routed) {
      if (absl::Status s = MakeWhole(r); !s.ok()) return Fail(std::move(s));
      proposals.push_back(r.proposal);
    }
    auto* response = Create<v1::RouteResponse>();
    MergeProposals(proposals, response->mutable_decision());
    *response->mutable_evaluation_time() = evaluation_time;
    RouteAnswer answer(response);
    std::move(done)(&answer);
  }

  // The proposals still as their plugins wrote them are merged on their
  // bytes, when the bytes pass protobuf's check and the merge allows it
  // (decision_wire.h); false leaves them to the merge of parsed messages.
  bool MergeOnTheWire() {
    if (routed.empty()) return false;
    absl::InlinedVector<std::pair<v1::Priority, const WireProposal*>, 4> order;
    for (const RoutedProposal& r : routed) {
      if (r.whole()) return false;
      const google::protobuf::Descriptor& type = r.admitter != nullptr
                                                     ? *v1::PluginAdmitResponse::descriptor()
                                                     : *v1::PluginRouteResponse::descriptor();
      if (!PassesCheck(r.answer, type)) return false;
      // An amended proposal's priority is the admitter's (which only an
      // order of several needs).
      v1::Priority priority = r.proposal->priority();
      if (r.admitter != nullptr && routed.size() > 1) {
        ProposalWire head;
        if (!ReadProposal(r.bytes, &head)) return false;
        priority = head.priority;
      }
      order.emplace_back(priority, &r);
    }
    OrderByPriority(absl::MakeSpan(order), [](const auto& o) { return o.first; });
    absl::InlinedVector<const WireProposal*, 4> proposals;
    for (const auto& [priority, p] : order) proposals.push_back(p);
    ThreadResponseBuffer buffer(&response_bytes.bytes);
    if (!WriteRouteResponse(proposals, evaluation_time, &response_bytes)) return false;
    RouteAnswer answer(&response_bytes, &arena);
    std::move(done)(&answer);
    return true;
  }
};

}  // namespace

void StartRoute(std::shared_ptr<const PluginRegistry> registry, const v1::CallFacts& facts,
                const std::vector<const Plugin*>& routers,
                const google::protobuf::Timestamp& evaluation_time, absl::Time deadline,
                RouteDone done) {
  auto call = std::make_shared<RouteCall>();
  call->registry = std::move(registry);
  call->deadline = deadline;
  call->done = std::move(done);
  call->evaluation_time = evaluation_time;
  // The plugin request borrows the client's facts and the instant to write its bytes.
  v1::PluginRouteRequest routed;
  routed.unsafe_arena_set_allocated_call(const_cast<v1::CallFacts*>(&facts));
  routed.unsafe_arena_set_allocated_evaluation_time(&call->evaluation_time);
  const size_t size = routed.ByteSizeLong();
  auto* bytes = reinterpret_cast<uint8_t*>(
      google::protobuf::Arena::CreateArray<char>(&call->arena, size));
  routed.SerializeWithCachedSizesToArray(bytes);
  call->request_bytes = absl::string_view(reinterpret_cast<const char*>(bytes), size);
  routed.unsafe_arena_release_call();
  routed.unsafe_arena_release_evaluation_time();
  call->routers = &routers;
  call->NextRoute();
}

}  // namespace escalation::host
