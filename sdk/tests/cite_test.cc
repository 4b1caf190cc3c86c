// Citing a rule through the plugin ABI: every matched rule an answer holds is
// a citation of the rule's declared matched rule, once per decision, whether
// an outcome's text cites it (found when the plugin is sealed) or a hook's
// helper does (looked up by id); with each citation replaced by the fragment
// it names, the answer is the one the plugin writes whole.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "escalation/plugin_abi.h"
#include "escalation/sdk/decision.h"
#include "escalation/sdk/outcome.h"
#include "escalation/sdk/rule_table.h"
#include "escalation/sdk/testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace escalation::sdk {
namespace {

using ::testing::ElementsAre;
using ::testing::StartsWith;

constexpr char kCitation[] = "\xEF\xB7\x90";  // fixed_texts.cc's prefix.

struct Call {
  const v1::CallFacts& call;
};

// Ids of one length and of several, declared out of order: a lookup must
// tell them apart by their bytes as well as by their length.
const Rule kShared{"c.shared", "Shared", "Article"};
const Rule kShort{"c.n", "Short", "Article"};
const Rule kSameA{"c.aaaa", "Same length A", "Article"};
const Rule kSameB{"c.aaab", "Same length B", "Article"};

bool Always(const Call&) { return true; }

class CitingPlugin : public Plugin {
 public:
  // `first`: a piece declared before anything else, so the citations'
  // indices differ from another instance's.
  explicit CitingPlugin(bool first = false) {
    RoutesFor(v1::CUSTOMER_SERVICE);
    if (first) DeclareFixed(Note("Declared first."));
    for (const Rule* rule : {&kSameB, &kShared, &kSameA, &kShort}) DeclareRule(*rule);
    DeclareTable(table_);
  }
  absl::Status Route(const v1::PluginRouteRequest& request,
                     v1::PluginRouteResponse* response) const override {
    Apply(table_, Call{request.call()}, response);
    return absl::OkStatus();
  }

 private:
  static v1::Decision Note(const char* text) {
    v1::Decision d;
    d.add_notes(text);
    return d;
  }
  using Row = DecisionRow<Call>;
  RouteTable<Call> table_{{
      Row({"c.transfer", "Transfer", "Article"}, Always,
          Outcome()
              .Priority(v1::TIER2_SITUATION)
              .Action(v1::TRANSFER)
              .To(v1::Decision::TIER2)
              .Summary("Transfer.")
              .Script("c.script", "Say this.")
              .Step("A step citing the shared rule.", kShared)
              .Step("A step citing the row.")
              .Note("A note citing A.", "c.aaaa")
              .Cite(kSameB),
          // A hook citing rules by their objects: a declared one, the row's.
          [](const Rule& rule, const Call&, v1::Decision* d) {
            AddNote(kShared, "A hook's note citing the shared rule.", d);
            AddStep(rule, "A hook's step citing the row.", d);
          }),
      Row({"c.resolve", "Resolve", "Article"}, Always,
          Outcome()
              .Priority(v1::RESOLVE_IN_DEPARTMENT)
              .Action(v1::RESOLVE_HERE)
              .Step("Another step citing the shared rule.", kShared)
              .Step(Slot{"site"})
              .Note("A note citing the short id.", kShort),
          nullptr, [](absl::string_view, const Call& c) { return "Site " + c.call.site(); }),
      Row::Amend({"c.amend", "Amend", "Article"}, Always,
                 [](const Call&, const v1::Decision&) { return true; },
                 Outcome().Note("An amending note citing B.", kSameB).Step("Amended.")),
  }};
};

std::string Take(const EscPluginDescriptor& d, EscBuffer* buffer) {
  std::string bytes(reinterpret_cast<const char*>(buffer->data), buffer->size);
  d.release_buffer(buffer);
  return bytes;
}

// Each declared fixed text, by the index its citations hold.
using Fragments = std::vector<v1::Decision>;

// The fragment a citation names, or null when `text` is none.
const v1::Decision* Cited(const Fragments& texts, const std::string& text) {
  if (text.rfind(kCitation, 0) != 0) return nullptr;
  return &texts.at(std::stoul(text.substr(sizeof(kCitation) - 1)));
}

// `d` with every citation replaced by the item it names.
v1::Decision Expanded(const Fragments& texts, const v1::Decision& d) {
  v1::Decision out = d;
  for (v1::MatchedRule& m : *out.mutable_matched_rules()) {
    if (const v1::Decision* f = Cited(texts, m.source_article())) m = f->matched_rules(0);
  }
  for (v1::Script& s : *out.mutable_scripts()) {
    if (const v1::Decision* f = Cited(texts, s.rule_id())) s = f->scripts(0);
  }
  // A citation of an outcome's steps in a row, or of its notes, stands for
  // all of them.
  out.clear_steps();
  for (const v1::Step& s : d.steps()) {
    const v1::Decision* f = Cited(texts, s.rule_id());
    if (f == nullptr) *out.add_steps() = s;
    if (f != nullptr) out.mutable_steps()->MergeFrom(f->steps());
  }
  out.clear_notes();
  for (const std::string& n : d.notes()) {
    const v1::Decision* f = Cited(texts, n);
    if (f == nullptr) out.add_notes(n);
    if (f != nullptr) out.mutable_notes()->MergeFrom(f->notes());
  }
  if (const v1::Decision* f = Cited(texts, out.summary())) out.set_summary(f->summary());
  return out;
}

// One instance of a plugin created through the ABI, with its fixed texts.
struct Instance {
  EscPluginDescriptor d;
  EscPluginInstance* instance = nullptr;
  Fragments texts;
};

template <bool kFirst>
std::unique_ptr<Plugin> MakeCitingPlugin() {
  return std::make_unique<CitingPlugin>(kFirst);
}

// `take_texts`: the host takes the fixed texts (an ABI 1.0 host does not).
template <bool kFirst>
void Create(Instance* out, bool take_texts = true) {
  // A descriptor's factory is the last one made (one per shared object):
  // each instance is created right after its descriptor.
  out->d = internal::MakeDescriptor(&MakeCitingPlugin<kFirst>, "citing", "1.0.0");
  EscBuffer buffer{nullptr, 0};
  ASSERT_EQ(out->d.create(nullptr, 0, &out->instance, &buffer), ESC_OK) << Take(out->d, &buffer);
  if (!take_texts) return;
  ASSERT_EQ(out->d.fixed_texts(out->instance, &buffer), ESC_OK);
  v1::PluginFixedTexts declared;
  ASSERT_TRUE(declared.ParseFromString(Take(out->d, &buffer)));
  for (const std::string& fragment : declared.decision_fragments()) {
    ASSERT_TRUE(out->texts.emplace_back().ParseFromString(fragment));
  }
}

v1::PluginRouteResponse RouteThrough(const Instance& i, const v1::PluginRouteRequest& request) {
  const std::string wire = request.SerializeAsString();
  EscBuffer buffer{nullptr, 0};
  EXPECT_EQ(i.d.route(i.instance, reinterpret_cast<const uint8_t*>(wire.data()), wire.size(),
                      &buffer),
            ESC_OK);
  v1::PluginRouteResponse answer;
  EXPECT_TRUE(answer.ParseFromString(Take(i.d, &buffer)));
  return answer;
}

v1::PluginRouteRequest Request() {
  v1::PluginRouteRequest request;
  request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
  request.mutable_call()->set_site("Tampa");
  return request;
}

// Whether `i`'s answer cites every matched rule and expands to `whole`.
void ExpectCitesAndExpandsTo(const Instance& i, const v1::PluginRouteResponse& whole) {
  const v1::PluginRouteResponse cited = RouteThrough(i, Request());
  ASSERT_EQ(cited.proposals_size(), whole.proposals_size());
  for (int p = 0; p < cited.proposals_size(); ++p) {
    const v1::Decision& d = cited.proposals(p).decision();
    for (const v1::MatchedRule& m : d.matched_rules()) {
      EXPECT_THAT(m.source_article(), StartsWith(kCitation)) << m.rule_id() << " written whole";
    }
    EXPECT_EQ(Expanded(i.texts, d).SerializeAsString(),
              whole.proposals(p).decision().SerializeAsString())
        << "proposal " << p;
  }
}

class SdkCiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(Create<false>(&plain_));
    ASSERT_NO_FATAL_FAILURE(Create<true>(&shifted_));
    ASSERT_EQ(shifted_.texts.size(), plain_.texts.size() + 1);
    ASSERT_TRUE(CitingPlugin().Route(Request(), &whole_).ok());
  }
  void TearDown() override {
    for (Instance* i : {&plain_, &shifted_}) {
      if (i->instance != nullptr) i->d.destroy(i->instance);
    }
  }
  Instance plain_, shifted_;
  v1::PluginRouteResponse whole_;  // Written whole: no call through the ABI.
};

TEST_F(SdkCiteTest, ThroughTheAbiEachRuleIsCitedOnceAndExpandsToTheWholeAnswer) {
  ASSERT_EQ(whole_.proposals_size(), 2);
  EXPECT_THAT(testing::RuleIdsOf(whole_.proposals(0).decision().matched_rules()),
              ElementsAre("c.transfer", "c.shared", "c.aaaa", "c.aaab", "c.amend"));
  EXPECT_THAT(testing::RuleIdsOf(whole_.proposals(1).decision().matched_rules()),
              ElementsAre("c.shared", "c.resolve", "c.n", "c.amend", "c.aaab"));
  // Both instances answer on one thread, in turn: each cites its own indices.
  for (const Instance* i : {&plain_, &shifted_, &plain_}) ExpectCitesAndExpandsTo(*i, whole_);
}

TEST_F(SdkCiteTest, InstancesAnsweringOnManyThreadsAtOnceCiteAlike) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const Instance& i = t % 2 == 0 ? plain_ : shifted_;
      for (int n = 0; n < 50; ++n) ExpectCitesAndExpandsTo(i, whole_);
    });
  }
  for (std::thread& t : threads) t.join();
}

TEST_F(SdkCiteTest, AnInstanceWhoseHostTookNoFixedTextsAnswersWhole) {
  Instance uncited;
  ASSERT_NO_FATAL_FAILURE(Create<false>(&uncited, /*take_texts=*/false));
  const v1::PluginRouteResponse answer = RouteThrough(uncited, Request());
  uncited.d.destroy(uncited.instance);
  EXPECT_EQ(answer.SerializeAsString(), whole_.SerializeAsString());
}

}  // namespace
}  // namespace escalation::sdk

namespace escalation::sdk {
namespace {

// Notes added together are the notes added one by one, with their rule cited
// once, as AddNote would leave it.
TEST(AddNotesTest, AppendsEachNoteInOrderAndCitesTheRuleOnce) {
  v1::Decision one_by_one;
  for (absl::string_view note : {"First note.", "Second note."}) {
    AddNote(kShared, note, &one_by_one);
  }
  v1::Decision together;
  const absl::string_view notes[] = {"First note.", "Second note."};
  AddNotes(kShared, notes, &together);
  EXPECT_EQ(together.SerializeAsString(), one_by_one.SerializeAsString());
  EXPECT_THAT(together.notes(), ElementsAre("First note.", "Second note."));
  ASSERT_EQ(together.matched_rules_size(), 1);
  EXPECT_EQ(together.matched_rules(0).rule_id(), "c.shared");

  v1::Decision none;
  AddNotes(kShared, {}, &none);
  EXPECT_EQ(none.ByteSizeLong(), 0u);
}

}  // namespace
}  // namespace escalation::sdk
