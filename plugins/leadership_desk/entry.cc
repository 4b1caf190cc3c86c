// The one exported symbol of leadership_desk.so.
#include "plugin.h"

ESCALATION_PLUGIN(escalation::leadership_desk::LeadershipDeskPlugin,
                  "leadership_desk", "1.0.0")
