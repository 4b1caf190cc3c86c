// The Leadership Desk plugin: admits live transfers to the Leadership Desk
// and validates Call Back exceptions and job notes, applying the tables of
// admit_rules.cc and validate_rules.cc (rules.h).
#ifndef ESCALATION_PLUGINS_LEADERSHIP_DESK_PLUGIN_H_
#define ESCALATION_PLUGINS_LEADERSHIP_DESK_PLUGIN_H_

#include <optional>

#include "config.h"
#include "escalation/sdk/plugin.h"
#include "escalation/sdk/rule_table.h"
#include "rules.h"

namespace escalation::leadership_desk {

class LeadershipDeskPlugin : public sdk::Plugin {
 public:
  LeadershipDeskPlugin();

  // Parses the configuration, then declares the record types (the exception's
  // comments are configured) and the tables that require them.
  absl::Status Configure(const google::protobuf::Struct& config) override;
  absl::Status Admit(const sdk::v1::PluginAdmitRequest& request,
                     sdk::v1::PluginAdmitResponse* response) const override;
  absl::Status Validate(const sdk::v1::PluginValidateRequest& request,
                        sdk::v1::PluginValidateResponse* response) const override;

 private:
  // The site of a request that is ours to amend (only a TRANSFER to the
  // desk), nullopt when it is not ours, or the error that rejects it.
  absl::StatusOr<std::optional<const Site*>> Admissible(
      const sdk::v1::PluginAdmitRequest& request) const;

  Config config_;
  RecordTypes types_;
  sdk::AdmitTable<Admission> admission_{AdmissionRows()};
  sdk::ValidateTable<TaskCheck> tasks_{TaskRows()};
};

}  // namespace escalation::leadership_desk

#endif  // ESCALATION_PLUGINS_LEADERSHIP_DESK_PLUGIN_H_
