// The property of record types (issue 9): for every record type any loaded
// department plugin declares, a task filled in from the type's fields passes
// ValidateTask, and the same task with any one of those fields left empty
// fails with an ERROR naming that field. Runs through the server's own host,
// with all four plugins and their shipped configuration.
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "server/loader/plugin_loader.h"
#include "server/registry/plugin_registry.h"
#include "server/engine/policy_engine.h"

namespace escalation::host {
namespace {

using google::protobuf::FieldDescriptor;

const absl::Time kNow = absl::FromUnixSeconds(1795446000);  // 2026-11-23T15:00:00Z

std::shared_ptr<const PluginRegistry> Registry() {
  LoadOptions options;
  options.plugin_dirs = {ESCALATION_PLUGIN_DIR};
  auto registry = LoadPluginRegistry(options);
  EXPECT_TRUE(registry.ok()) << registry.status();
  return registry.ok() ? *registry : nullptr;
}

// What a filled-in field holds: the fixed value, the first allowed value, or
// the description (a text that says what goes there).
std::string Filler(const v1::RecordField& field) {
  if (!field.value().empty()) return field.value();
  if (!field.allowed_values().empty()) return field.allowed_values(0);
  return field.description().empty() ? field.name() : field.description();
}

// Sets `field.task_field()` of `task`; false when it names no Task field.
bool Fill(const v1::RecordField& field, v1::Task* task) {
  const std::string& name = field.task_field();
  if (absl::StartsWith(name, "fields.")) {
    (*task->mutable_fields()->mutable_fields())[name.substr(7)].set_string_value(
        Filler(field));
    return true;
  }
  const FieldDescriptor* f = v1::Task::descriptor()->FindFieldByName(name);
  if (f == nullptr) return false;
  const auto* reflection = task->GetReflection();
  if (f->type() == FieldDescriptor::TYPE_MESSAGE &&
      f->message_type()->full_name() == "google.protobuf.Timestamp") {
    auto* t = static_cast<google::protobuf::Timestamp*>(reflection->MutableMessage(task, f));
    t->set_seconds(absl::ToUnixSeconds(kNow) + 86400);
    return true;
  }
  if (f->type() != FieldDescriptor::TYPE_STRING) return false;
  if (f->is_repeated()) {
    reflection->AddString(task, f, Filler(field));
  } else {
    reflection->SetString(task, f, Filler(field));
  }
  return true;
}

void Empty(const std::string& name, v1::Task* task) {
  if (absl::StartsWith(name, "fields.")) {
    task->mutable_fields()->mutable_fields()->erase(name.substr(7));
    return;
  }
  task->GetReflection()->ClearField(task, v1::Task::descriptor()->FindFieldByName(name));
}

v1::ValidateTaskResponse Validate(const PolicyEngine& engine, const v1::Task& task) {
  v1::ValidateTaskRequest request;
  *request.mutable_task() = task;
  auto response = engine.ValidateTask(request, kNow);
  EXPECT_TRUE(response.ok()) << response.status();
  return response.value_or(v1::ValidateTaskResponse());
}

TEST(RecordTypesTest, EveryDeclaredTypePassesFilledAndFailsWithAnyFieldEmpty) {
  std::shared_ptr<const PluginRegistry> registry = Registry();
  ASSERT_NE(registry, nullptr);
  const PolicyEngine engine(registry);
  std::vector<std::string> seen;
  for (const auto& plugin : registry->plugins()) {
    for (const v1::RecordTypeInfo& type : plugin->info().manifest().record_types()) {
      seen.push_back(type.id());
      SCOPED_TRACE(type.id());
      EXPECT_EQ(registry->RecordType(type.id()), &type);
      v1::Task filled;
      filled.set_kind(type.kind());
      filled.set_system(type.system());
      filled.set_record_type(type.id());
      for (const v1::RecordField& field : type.fields()) {
        EXPECT_TRUE(Fill(field, &filled)) << field.name() << " -> " << field.task_field();
      }
      const v1::ValidateTaskResponse ok = Validate(engine, filled);
      EXPECT_TRUE(ok.valid()) << ok.DebugString();
      for (const v1::RecordField& field : type.fields()) {
        SCOPED_TRACE(field.task_field());
        v1::Task missing = filled;
        Empty(field.task_field(), &missing);
        const v1::ValidateTaskResponse bad = Validate(engine, missing);
        EXPECT_FALSE(bad.valid());
        bool named = false;
        for (const v1::Violation& v : bad.violations()) {
          named = named || (v.field() == field.task_field() && v.severity() == v1::ERROR);
        }
        EXPECT_TRUE(named) << bad.DebugString();
      }
    }
  }
  // Every department plugin declares its records: all four are covered.
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "customer_service.final_comments",
                      "leadership_desk.live_transfer_job_note",
                      "leadership_desk.callback_exception",
                      "leadership_desk.callback_job_note",
                      "membership_services.t2_task",
                      "telesales_retention.supervisor_request_history_entry",
                      "telesales_retention.supervisor_callback_request"}));
}

TEST(RecordTypesTest, AnUnknownOrMismatchedTypeIsInvalidArgument) {
  std::shared_ptr<const PluginRegistry> registry = Registry();
  ASSERT_NE(registry, nullptr);
  const PolicyEngine engine(registry);
  v1::ValidateTaskRequest request;
  request.mutable_task()->set_kind(v1::JOB_NOTE);
  request.mutable_task()->set_record_type(std::string(500, 'z'));
  auto r = engine.ValidateTask(request, kNow);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "task.record_type"));
  EXPECT_TRUE(absl::StrContains(r.status().message(), std::string(100, 'z') + "..."));
  EXPECT_FALSE(absl::StrContains(r.status().message(), std::string(101, 'z')));
  request.mutable_task()->set_record_type("membership_services.t2_task");
  r = engine.ValidateTask(request, kNow);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "declared for T2_TASK"));
  // Without a record type, tasks keep working as before.
  request.mutable_task()->clear_record_type();
  EXPECT_TRUE(engine.ValidateTask(request, kNow).ok());
}

}  // namespace
}  // namespace escalation::host
