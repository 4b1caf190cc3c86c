// Splits escalationctl's argv into a subcommand, flags and positional words.
// Flags are `--name=value`, `--name value` (for flags that take a value) or
// `--name` alone (booleans). Names are normalized: "queue_wait" == "queue-wait".
#ifndef ESCALATION_TOOLS_ESCALATIONCTL_COMMAND_LINE_H_
#define ESCALATION_TOOLS_ESCALATIONCTL_COMMAND_LINE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace escalationctl {

struct Flag {
  std::string name;                  // Without the leading dashes.
  std::optional<std::string> value;  // Absent for `--name` alone.
};

struct CommandLine {
  std::string command;  // The first positional word, e.g. "route".
  std::vector<Flag> flags;
  std::vector<std::string> positional;  // Positional words after the command.
};

// Tells whether flag `name` of `command` consumes the next word as its value.
using TakesValueFn =
    std::function<bool(absl::string_view command, absl::string_view name)>;

absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args, const TakesValueFn& takes_value);

// "Queue_Wait" -> "queue-wait".
std::string NormalizeFlagName(absl::string_view name);

}  // namespace escalationctl

#endif  // ESCALATION_TOOLS_ESCALATIONCTL_COMMAND_LINE_H_
