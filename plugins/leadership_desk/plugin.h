// The Leadership Desk plugin: admits live transfers to the Leadership Desk
// (LD-1 … LD-6), applying the admit table of rules.h, and validates Call Back
// exceptions and job notes.
//
// JOB_NOTE tasks: a note with `callback_scheduled_at` set is the note after a
// scheduled call back (LD-6: interaction details and the scheduled date/time).
// Otherwise a note that records a Leadership Desk live transfer — it names
// who took over (`taken_over_by`) or sets the Struct key
// `fields.leadership_desk_transfer: true` — is the LD-2 note (interaction
// details in `text` and the agent who took over in `taken_over_by`). Any
// other job note is not the Leadership Desk's: no rule applies, no violation
// (design reading). A non-boolean `fields.leadership_desk_transfer` is
// INVALID_ARGUMENT.
//
// A task that names its record type (Task.record_type, one of the three this
// plugin declares) is checked as that record whatever its fields say: every
// field of the type must be filled in (e.g. an LD-6 note without
// callback_scheduled_at is an error naming it).
#ifndef ESCALATION_PLUGINS_LEADERSHIP_DESK_PLUGIN_H_
#define ESCALATION_PLUGINS_LEADERSHIP_DESK_PLUGIN_H_

#include <optional>

#include "config.h"
#include "rules.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/rule_table.h"

namespace escalation::leadership_desk {

class LeadershipDeskPlugin : public sdk::Plugin {
 public:
  LeadershipDeskPlugin();

  absl::Status Configure(const google::protobuf::Struct& config) override;
  absl::Status Admit(const sdk::v1::PluginAdmitRequest& request,
                     sdk::v1::PluginAdmitResponse* response) const override;
  // As Admit, moving the proposal into the answer instead of copying it.
  absl::Status AdmitTaking(sdk::v1::PluginAdmitRequest* request,
                           sdk::v1::PluginAdmitResponse* response) const override;
  absl::Status Validate(const sdk::v1::PluginValidateRequest& request,
                        sdk::v1::PluginValidateResponse* response) const override;

 private:
  // The site of a request that is ours to amend, nullopt when it is not
  // ours, or the error that rejects it.
  absl::StatusOr<std::optional<const Site*>> Admissible(
      const sdk::v1::PluginAdmitRequest& request) const;
  // Applies the admission rules to `amended`, the proposal as it came.
  void Amend(const sdk::v1::PluginAdmitRequest& request, const Site* site,
             sdk::v1::Decision* amended) const;

  void ValidateException(const sdk::v1::Task& task,
                         sdk::v1::PluginValidateResponse* response) const;
  absl::Status ValidateJobNote(const sdk::v1::Task& task,
                               sdk::v1::PluginValidateResponse* response) const;
  // The job note as the record type it names (LD-2 or LD-6).
  void ValidateJobNoteAs(const sdk::v1::RecordTypeInfo& type,
                         const sdk::v1::Task& task,
                         sdk::v1::PluginValidateResponse* response) const;

  Config config_;
  RecordTypes types_;
  sdk::AdmitTable<Admission> admit_rules_;
};

}  // namespace escalation::leadership_desk

#endif  // ESCALATION_PLUGINS_LEADERSHIP_DESK_PLUGIN_H_
