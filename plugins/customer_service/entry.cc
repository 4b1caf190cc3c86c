// The one exported symbol of customer_service.so.
#include "plugin.h"

ESCALATION_PLUGIN(escalation::customer_service::CustomerServicePlugin,
                  "customer_service", "1.0.0")
