// Builds a RouteRequest or ValidateTaskRequest from command-line flags.
//
// The flags come from the message descriptors: every field of CallFacts (for
// `route`) or Task (for `validate`) is a flag named after the field with '-'
// for '_' (`--customer-name`); a repeated field also answers to its singular
// (`--reason`, repeatable, enums also as a comma list); a Struct field takes
// KEY=VALUE entries (`--extension key=value`: VALUE converted by the type a
// plugin declares for KEY (DeclareExtensionFacts), else as JSON when it
// parses, else as a string); `--at` sets the evaluation instant. A field
// added to the API therefore gets its flag without a change here.
#ifndef ESCALATION_TOOLS_ESCALATIONCTL_REQUEST_FLAGS_H_
#define ESCALATION_TOOLS_ESCALATIONCTL_REQUEST_FLAGS_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "escalation/v1/service.pb.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "tools/escalationctl/command_line.h"

namespace escalationctl {

// An extension fact a loaded plugin declares, and that plugin's name.
struct DeclaredExtensionFact {
  escalation::v1::ExtensionFactInfo fact;
  std::string plugin;
};

class RequestFlags {
 public:
  // For escalation.v1.RouteRequest (facts in `call`).
  static RequestFlags ForRoute();
  // For escalation.v1.ValidateTaskRequest (facts in `task`).
  static RequestFlags ForValidate();

  bool Knows(absl::string_view flag) const;
  bool TakesValue(absl::string_view flag) const;
  // Whether `flag` sets call.extensions (`--extension`).
  bool SetsExtensions(absl::string_view flag) const;

  // The extension facts the loaded plugins declare (ListPluginsResponse):
  // `--extension KEY=VALUE` then converts VALUE by the type declared for KEY,
  // and refuses, naming the flag, the key and its type, a VALUE that does not
  // convert. Two plugins that declare one fact declare one type (the server
  // refuses anything else at load).
  void DeclareExtensionFacts(const escalation::v1::ListPluginsResponse& plugins);

  // Sets the field `flag` names on `request` (of the type this was made for).
  // Errors name the flag and, for enums, list the accepted values.
  absl::Status Apply(const Flag& flag, google::protobuf::Message* request) const;

  // One line per flag: name, what it takes, the field it sets.
  std::string Help() const;

 private:
  RequestFlags(const google::protobuf::Descriptor* request_type,
               absl::string_view facts_field);

  // A flag name and its negated form ("no-...") resolve to the same field.
  const google::protobuf::FieldDescriptor* Find(absl::string_view flag,
                                                bool* negated) const;

  const google::protobuf::FieldDescriptor* facts_field_;
  const google::protobuf::FieldDescriptor* evaluation_time_field_;
  // Flag name -> field of the facts message (or evaluation_time for "at").
  std::map<std::string, const google::protobuf::FieldDescriptor*> fields_;
  // By fact name.
  std::map<std::string, DeclaredExtensionFact, std::less<>> extension_facts_;
};

}  // namespace escalationctl

#endif  // ESCALATION_TOOLS_ESCALATIONCTL_REQUEST_FLAGS_H_
