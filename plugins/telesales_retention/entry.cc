// The shared object's one exported symbol.
#include "plugin.h"

ESCALATION_PLUGIN(escalation::telesales_retention::TelesalesRetentionPlugin,
                  "telesales_retention", "1.0.0")
