// Plugin ABI 1.1: a plugin's answers cite the fixed texts it declared at
// load, and the host writes them where the citations stood. The public
// answer is the one the same plugin gives writing every text whole, in every
// isolation mode; a citation of a text never declared, and a declared text
// that is not a valid piece of decision, are the plugin's fault. So (ABI 1.2)
// is an admitter's edit that makes output edits it never declared.
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "server/wire/fixed_texts.h"
#include "server/loader/plugin_loader.h"
#include "server/registry/plugin_registry.h"
#include "server/engine/policy_engine.h"
#include "tests/support/plugin_calls.h"

namespace escalation::host {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using test::TestPlugin;

const absl::Time kNow = absl::FromUnixSeconds(1765200000);

class FixedTextsTest : public ::testing::TestWithParam<Isolation> {
 protected:
  absl::StatusOr<std::shared_ptr<const PluginRegistry>> Load(const std::string& file,
                                                            int workers = 1) const {
    LoadOptions options = test::OptionsFor(GetParam());
    options.plugin_paths = {TestPlugin(file)};
    options.limits.workers = workers;
    return LoadPluginRegistry(options);
  }
};

std::vector<v1::RouteRequest> Calls() {
  std::vector<v1::RouteRequest> calls;
  const std::vector<std::vector<v1::Reason>> reasons = {
      {}, {v1::CANCEL_CONTRACT}, {v1::SUPERVISOR_REQUEST},
      {v1::CANCEL_CONTRACT, v1::SUPERVISOR_REQUEST}};
  int n = 0;
  for (const auto& r : reasons) {
    for (const char* name : {"", "Ada Lovelace"}) {
      v1::RouteRequest request;
      v1::CallFacts* call = request.mutable_call();
      call->set_department(v1::MEMBERSHIP_SERVICES);
      call->set_call_id("call-" + std::to_string(++n));
      call->set_customer_name(name);
      for (v1::Reason reason : r) call->add_reasons(reason);
      request.mutable_evaluation_time()->set_seconds(absl::ToUnixSeconds(kNow) + n);
      calls.push_back(request);
    }
  }
  return calls;
}

TEST_P(FixedTextsTest, AnswersEqualThoseWrittenWhole) {
  auto cited = Load("test_fixed_cited.so");
  auto plain = Load("test_fixed_plain.so");
  ASSERT_TRUE(cited.ok()) << cited.status();
  ASSERT_TRUE(plain.ok()) << plain.status();
  // The cited plugin declared its texts; the plain one offers none.
  ASSERT_NE((*cited)->plugins().front()->fixed_texts(), nullptr);
  EXPECT_GT((*cited)->plugins().front()->fixed_texts()->size(), 9u);
  EXPECT_EQ((*plain)->plugins().front()->fixed_texts(), nullptr);
  PolicyEngine with_citations(*cited), whole(*plain);
  for (const v1::RouteRequest& call : Calls()) {
    auto expected = whole.Route(call, kNow);
    auto answered = with_citations.Route(call, kNow);
    ASSERT_TRUE(expected.ok()) << expected.status();
    ASSERT_TRUE(answered.ok()) << answered.status();
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(*answered, *expected))
        << "with citations:\n" << answered->DebugString() << "\nwritten whole:\n"
        << expected->DebugString();
    // The texts are all there, in order.
    const v1::Decision& d = answered->decision();
    EXPECT_EQ(d.summary(), "Transfer the call to Tier 2 (warm).");
    ASSERT_GE(d.scripts_size(), 3);
    EXPECT_EQ(d.scripts(0).id(), "hello");
    EXPECT_EQ(d.scripts(1).id(), "name");
    EXPECT_EQ(d.scripts(2).id(), "bye");
    EXPECT_EQ(d.required_records_size(), 1);
  }
}

TEST_P(FixedTextsTest, TheAnswerCitesRatherThanWritesTheTexts) {
  auto cited = Load("test_fixed_cited.so");
  auto plain = Load("test_fixed_plain.so");
  ASSERT_TRUE(cited.ok()) << cited.status();
  ASSERT_TRUE(plain.ok()) << plain.status();
  v1::PluginRouteRequest request;
  *request.mutable_call() = Calls().front().call();
  const Plugin& cites = *(*cited)->plugins().front();
  auto raw = test::CallAndWait(cites, PluginMethod::kRoute, request.SerializeAsString());
  auto whole = test::CallAndWait(*(*plain)->plugins().front(), PluginMethod::kRoute,
                                 request.SerializeAsString());
  ASSERT_TRUE(raw.ok()) << raw.status();
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_THAT(*raw, HasSubstr(std::string(kCitationPrefix)));
  EXPECT_THAT(*raw, ::testing::Not(HasSubstr("Stay on the line until Tier 2 answers.")));
  EXPECT_LT(raw->size(), whole->size());
  std::string expanded;
  bool cites_any = false;
  ASSERT_TRUE(ExpandCitations(cites, *v1::PluginRouteResponse::descriptor(), *raw, &expanded, &cites_any).ok());
  EXPECT_TRUE(cites_any);
  EXPECT_EQ(expanded, *whole);
}

TEST_P(FixedTextsTest, ACitationOfATextNeverDeclaredIsThePluginsFault) {
  auto registry = Load("fault_bad_citation.so");
  ASSERT_TRUE(registry.ok()) << registry.status();
  PolicyEngine engine(*registry);
  v1::RouteRequest request;
  request.mutable_call()->set_department(v1::LEADERSHIP_DESK);
  auto routed = engine.Route(request, kNow);
  EXPECT_EQ(routed.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(routed.status().message()),
              AllOf(HasSubstr("plugin fault_bad_citation"), HasSubstr("fixed text 999")));
}

// Plugin ABI 1.2: a real plugin admitting by edit whose edit makes the
// output edits of a rule its manifest declares none for. The host refuses
// the edit, naming the plugin and the rule, in every isolation mode.
TEST_P(FixedTextsTest, AnEditOfUndeclaredOutputIsThePluginsFault) {
  auto registry = Load("fault_undeclared_edit.so");
  ASSERT_TRUE(registry.ok()) << registry.status();
  PolicyEngine engine(*registry);
  v1::RouteRequest request;
  request.mutable_call()->set_department(v1::LEADERSHIP_DESK);
  auto routed = engine.Route(request, kNow);
  EXPECT_EQ(routed.status().code(), absl::StatusCode::kInternal);
  EXPECT_THAT(std::string(routed.status().message()),
              AllOf(HasSubstr("plugin fault_undeclared_edit answered Admit with an edit"),
                    HasSubstr("rule \"fault_undeclared_edit.rule\", for which its manifest "
                              "declares none")));
}

void ExpectRefused(const absl::StatusOr<std::shared_ptr<const PluginRegistry>>& registry,
                   const std::string& file, const std::string& reason) {
  ASSERT_FALSE(registry.ok()) << file << " loaded";
  EXPECT_EQ(registry.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(registry.status().message()),
              AllOf(HasSubstr(TestPlugin(file)), HasSubstr(reason)))
      << registry.status();
}

TEST_P(FixedTextsTest, ATextThatIsNotWholeFieldsIsRefusedAtLoad) {
  ExpectRefused(Load("fault_fixed_broken.so"), "fault_fixed_broken.so",
                "declared fixed text 0 is not whole, well-formed protobuf fields");
}

TEST_P(FixedTextsTest, ATextThatIsNotUtf8IsRefusedAtLoad) {
  ExpectRefused(Load("fault_fixed_not_utf8.so"), "fault_fixed_not_utf8.so",
                "declared fixed text 0 does not parse as escalation.v1.Decision fields");
}

TEST_P(FixedTextsTest, WorkersThatDeclareOtherTextsAreRefused) {
  if (GetParam() != Isolation::kProcess) GTEST_SKIP() << "one load per plugin in this mode";
  auto registry = Load("fault_fixed_per_process.so", /*workers=*/2);
  ASSERT_FALSE(registry.ok());
  EXPECT_THAT(std::string(registry.status().message()),
              AllOf(HasSubstr("plugin fault_fixed_per_process"),
                    HasSubstr("other than its first worker's")));
}

INSTANTIATE_TEST_SUITE_P(
    Isolation, FixedTextsTest,
    ::testing::Values(Isolation::kDirect, Isolation::kInProcess, Isolation::kProcess),
    [](const auto& info) { return test::IsolationName(info.param); });

}  // namespace
}  // namespace escalation::host
