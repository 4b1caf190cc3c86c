// The shared object's one exported symbol.
#include "plugin.h"

ESCALATION_PLUGIN(example::ExampleDepartment, "example_department", "0.1.0")
