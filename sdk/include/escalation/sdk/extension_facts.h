// Extension facts: the facts a plugin reads from CallFacts.extensions,
// declared in its manifest with a type and a meaning
// (Plugin::DeclareExtensionFact), so that the server refuses a value of
// another type before the plugin sees it, and read here by that declaration.
#ifndef ESCALATION_SDK_EXTENSION_FACTS_H_
#define ESCALATION_SDK_EXTENSION_FACTS_H_

#include <optional>
#include <string>

#include "escalation/sdk/plugin.h"

namespace escalation::sdk {

v1::ExtensionFactInfo MakeExtensionFact(std::string name, v1::ExtensionFactType type,
                                        std::string meaning);

// The value the call gives `fact`, or nullopt when it gives none (absent, or
// null) or one of another type (which the server refuses for a declared fact).
std::optional<bool> ExtensionBool(const v1::CallFacts& call,
                                  const v1::ExtensionFactInfo& fact);
std::optional<double> ExtensionNumber(const v1::CallFacts& call,
                                      const v1::ExtensionFactInfo& fact);
std::optional<std::string> ExtensionString(const v1::CallFacts& call,
                                           const v1::ExtensionFactInfo& fact);

}  // namespace escalation::sdk

#endif  // ESCALATION_SDK_EXTENSION_FACTS_H_
