#include "tools/escalationctl/command_line.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace escalationctl {

std::string NormalizeFlagName(absl::string_view name) {
  std::string normalized = absl::AsciiStrToLower(name);
  for (char& c : normalized) {
    if (c == '_') c = '-';
  }
  return normalized;
}

absl::StatusOr<CommandLine> ParseCommandLine(
    const std::vector<std::string>& args, const TakesValueFn& takes_value) {
  CommandLine line;
  bool only_positional = false;  // After "--".
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (only_positional || arg == "-" || !absl::StartsWith(arg, "-")) {
      if (line.command.empty()) {
        line.command = arg;
      } else {
        line.positional.push_back(arg);
      }
      continue;
    }
    if (arg == "--") {
      only_positional = true;
      continue;
    }
    absl::string_view body = arg;
    body.remove_prefix(absl::StartsWith(body, "--") ? 2 : 1);
    Flag flag;
    const size_t eq = body.find('=');
    if (eq != absl::string_view::npos) {
      flag.name = NormalizeFlagName(body.substr(0, eq));
      flag.value = std::string(body.substr(eq + 1));
    } else {
      flag.name = NormalizeFlagName(body);
      if (takes_value(line.command, flag.name)) {
        if (i + 1 >= args.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat("flag --", flag.name, " needs a value"));
        }
        flag.value = args[++i];
      }
    }
    if (flag.name.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("malformed flag '", arg, "'"));
    }
    line.flags.push_back(std::move(flag));
  }
  return line;
}

}  // namespace escalationctl
