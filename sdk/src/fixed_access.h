// The SDK's own view of a plugin's fixed texts (ABI 1.1): what it declares
// through the descriptor, and the citation the hooks write while a call
// through the ABI is running. Not installed: plugins use DeclareFixed and
// EmitFixed.
#ifndef ESCALATION_SDK_SRC_FIXED_ACCESS_H_
#define ESCALATION_SDK_SRC_FIXED_ACCESS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "escalation/sdk/plugin.h"

namespace escalation::sdk {

struct FixedAccess {
  // Readies `plugin`'s fixed texts once it is configured: the first piece
  // DeclareFixed refused, if any.
  static absl::Status Seal(Plugin& plugin);
  // escalation.v1.PluginFixedTexts wire bytes of every piece `plugin`
  // declared, in the order of their citations' indices.
  static std::string Declared(const Plugin& plugin);

  // While the hook of `plugin` runs for a call through the ABI whose host
  // took its fixed texts: decisions cite them (null: write them whole).
  class CitingScope {
   public:
    explicit CitingScope(const Plugin* plugin);
    ~CitingScope();
    CitingScope(const CitingScope&) = delete;
    CitingScope& operator=(const CitingScope&) = delete;

   private:
    const bool active_;
    const Plugin* previous_ = nullptr;
  };

  // The declared matched rule of the rule `id`, when the running call
  // cites; null otherwise.
  static const FixedDecision* CitedRule(absl::string_view id);
  // The same for `rule`, cited by the outcome's text `text`: the matched
  // rule Seal found for it, without a lookup by id.
  static const FixedDecision* CitedRule(const Rule& rule, const FixedDecision& text);
  // Cites `rule` in `decision` once (Cite): `declared`, its declared matched
  // rule that the running call cites (CitedRule), or written whole (null).
  static void Cite(const Rule& rule, const FixedDecision* declared, v1::Decision* decision);
  // Appends to `decision` a citation of `fixed` (which the running call
  // cites): an item holding its ids and the citation, or the citation as
  // the note or summary.
  static void AppendCitation(const FixedDecision& fixed, v1::Decision* decision);
  // Whether the running call cites `fixed`.
  static bool Cites(const FixedDecision& fixed);
  // Whether the running call cites fixed texts at all.
  static bool Citing();
  // Clears the ids of each item in `decision` that is a citation: the hooks
  // read them while they build the answer, but the host replaces a cited
  // item whole with its fragment, so they need not be written.
  static void DropCitedIds(v1::Decision* decision);
};

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_SRC_FIXED_ACCESS_H_
