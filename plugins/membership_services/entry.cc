// The shared object's one exported symbol.
#include "plugin.h"

ESCALATION_PLUGIN(escalation::membership_services::MembershipServicesPlugin,
                  "membership_services", "1.0.0")
