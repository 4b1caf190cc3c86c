// A plugin whose decisions mix texts declared once (DeclareFixed, and its
// rules) with texts that depend on the call, in every list, interleaved, in
// Route and in Admit. Built twice under one name: "fixed_cited" as the SDK
// builds every plugin (its answers cite the fixed texts, plugin ABI 1.1),
// and, with FIXED_TEXTS_PLAIN, "fixed_plain" whose descriptor offers no
// fixed texts, so the same code writes every text whole. The host must
// answer the two alike.
//
// Routes MEMBERSHIP_SERVICES calls: a Tier 2 transfer (which it admits,
// adding to it) and, for a cancel reason, a resolution in the department
// that fits under it; for a supervisor request, a takeover it outranks.
#include <string>

#include "escalation/sdk/decision.h"
#include "escalation/sdk/plugin.h"

namespace {

namespace sdk = escalation::sdk;
namespace v1 = escalation::v1;

constexpr char kArticle[] = "Test Article";

v1::Decision Script(const char* id, const char* text, const sdk::Rule& rule) {
  v1::Decision d;
  v1::Script* s = d.add_scripts();
  s->set_id(id);
  s->set_text(text);
  s->set_rule_id(rule.id);
  return d;
}
v1::Decision Step(const char* text, const sdk::Rule& rule) {
  v1::Decision d;
  v1::Step* s = d.add_steps();
  s->set_text(text);
  s->set_rule_id(rule.id);
  return d;
}
v1::Decision Note(const char* text) {
  v1::Decision d;
  d.add_notes(text);
  return d;
}
v1::Decision Summary(const char* text) {
  v1::Decision d;
  d.set_summary(text);
  return d;
}
v1::Decision Record(const sdk::Rule& rule) {
  v1::Decision d;
  v1::RequiredRecord* r = d.add_required_records();
  r->set_system(v1::ZOHO);
  r->set_kind(v1::T2_TASK);
  r->set_when("after the call has ended");
  r->set_rule_id(rule.id);
  v1::RecordField* f = r->add_fields();
  f->set_name("Category");
  f->set_value("Membership Services");
  f->set_description("The department that transferred the call — “Tier 2”");
  return d;
}

class FixedTextsPlugin : public sdk::Plugin {
 public:
  FixedTextsPlugin()
      : transfer_(DeclareRule({"fixed.transfer", "Tier 2 takes the call", kArticle})),
        resolve_(DeclareRule({"fixed.resolve", "Resolve what can be", kArticle})),
        takeover_(DeclareRule({"fixed.takeover", "A supervisor takes over", kArticle})),
        admit_(DeclareRule({"fixed.admit", "Tier 2 admits", kArticle})),
        summary_(DeclareFixed(Summary("Transfer the call to Tier 2 (warm)."))),
        hello_(DeclareFixed(Script("hello", "Thank you for holding — I’m connecting you now.",
                                   transfer_))),
        bye_(DeclareFixed(Script("bye", "Tier 2 will take it from here.", transfer_))),
        dial_(DeclareFixed(Step("Dial the Tier 2 line.", transfer_))),
        stay_(DeclareFixed(Step("Stay on the line until Tier 2 answers.", transfer_))),
        record_(DeclareFixed(Record(transfer_))),
        hours_(DeclareFixed(Note("Tier 2 keeps its own hours."))),
        admitted_(DeclareFixed(Step("Tier 2 confirms the account number.", admit_))),
        admit_note_(DeclareFixed(Note("Tier 2 admitted the transfer."))) {
    RoutesFor(v1::MEMBERSHIP_SERVICES);
    AdmitsFor(v1::Decision::TIER2);
  }

  absl::Status Route(const v1::PluginRouteRequest& request,
                     v1::PluginRouteResponse* response) const override {
    const v1::CallFacts& call = request.call();
    v1::Decision* d = sdk::Propose(v1::TIER2_SITUATION, response);
    d->set_action(v1::TRANSFER);
    d->set_destination(v1::Decision::TIER2);
    d->set_transfer_mode(v1::WARM);
    sdk::EmitFixed(summary_, d);
    sdk::EmitFixed(hello_, d);
    sdk::AddScript(transfer_, "name", sdk::FillCustomerName("Is this [customer name]?",
                                                            call.customer_name()), d);
    sdk::EmitFixed(bye_, d);
    sdk::AddStep(transfer_, "Say who is calling: " + call.call_id(), d);
    sdk::EmitFixed(dial_, d);
    sdk::EmitFixed(stay_, d);
    sdk::EmitFixed(record_, d);
    sdk::AddNote(transfer_, "Call " + call.call_id() + " was transferred.", d);
    sdk::EmitFixed(hours_, d);
    if (sdk::HasReason(call, v1::CANCEL_CONTRACT)) {
      v1::Decision* here = sdk::Propose(v1::RESOLVE_IN_DEPARTMENT, response);
      here->set_action(v1::RESOLVE_HERE);
      sdk::EmitFixed(stay_, here);  // The winner's too: kept once.
      sdk::AddStep(resolve_, "Offer to keep the contract.", here);
      sdk::EmitFixed(hours_, here);
    }
    if (sdk::HasReason(call, v1::SUPERVISOR_REQUEST)) {
      v1::Decision* takeover = sdk::Propose(v1::LEADERSHIP_DESK_TIER1, response);
      takeover->set_action(v1::SUPERVISOR_TAKEOVER);
      sdk::EmitFixed(dial_, takeover);
      sdk::Cite(takeover_, takeover);
    }
    return absl::OkStatus();
  }

  absl::Status Admit(const v1::PluginAdmitRequest& request,
                     v1::PluginAdmitResponse* response) const override {
    *response->mutable_amended() = request.proposal();
    v1::Decision* d = response->mutable_amended()->mutable_decision();
    sdk::EmitFixed(admitted_, d);
    sdk::AddNote(admit_, "Admitted at second " +
                             std::to_string(request.evaluation_time().seconds()) + ".", d);
    sdk::EmitFixed(admit_note_, d);
    sdk::Cite(transfer_, d);  // Already cited: kept once.
    return absl::OkStatus();
  }

 private:
  const sdk::Rule& transfer_;
  const sdk::Rule& resolve_;
  const sdk::Rule& takeover_;
  const sdk::Rule& admit_;
  const sdk::FixedDecision& summary_;
  const sdk::FixedDecision& hello_;
  const sdk::FixedDecision& bye_;
  const sdk::FixedDecision& dial_;
  const sdk::FixedDecision& stay_;
  const sdk::FixedDecision& record_;
  const sdk::FixedDecision& hours_;
  const sdk::FixedDecision& admitted_;
  const sdk::FixedDecision& admit_note_;
};

EscPluginDescriptor Describe() {
  EscPluginDescriptor d = sdk::internal::MakeDescriptor(
      []() -> std::unique_ptr<sdk::Plugin> { return std::make_unique<FixedTextsPlugin>(); },
      "fixed_texts", "1.0.0");
#ifdef FIXED_TEXTS_PLAIN
  d.fixed_texts = nullptr;  // Offers none: every answer writes its texts whole.
#endif
  return d;
}

}  // namespace

extern "C" __attribute__((visibility("default"))) const EscPluginDescriptor*
escalation_plugin_entry_v1(void) {
  static const EscPluginDescriptor descriptor = Describe();
  return &descriptor;
}
