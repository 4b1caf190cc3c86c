# escalation_add_policy_cases(<test name>
#   PLUGINS <plugin targets...>
#   CASES <directories of *.json case files, or case files, or *.md documents>...)
#
# Registers a ctest test that runs the case files with escalation-policy-test
# against the named plugins, each with its "<plugin name>.json" configuration
# from the plugin directory when there is one.
function(escalation_add_policy_cases name)
  cmake_parse_arguments(C "" "" "CASES;PLUGINS" ${ARGN})
  set(args)
  foreach(plugin IN LISTS C_PLUGINS)
    list(APPEND args --plugin $<TARGET_FILE:${plugin}>)
  endforeach()
  add_test(NAME ${name} COMMAND escalation-policy-test ${args} ${C_CASES})
  set_tests_properties(${name} PROPERTIES LABELS "policy")
endfunction()
