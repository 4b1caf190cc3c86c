#include "server/plugin/plugin.h"

namespace escalation::host {

const char* MethodName(PluginMethod method) {
  switch (method) {
    case PluginMethod::kRoute: return "route";
    case PluginMethod::kAdmit: return "admit";
    case PluginMethod::kValidate: return "validate";
  }
  return "an unknown method";
}

}  // namespace escalation::host
