# escalation_add_plugin(<target>
#   SOURCES <files...>
#   [LINK_LIBRARIES <libs...>]
#   [OUTPUT_DIRECTORY <dir>]
#   [SDK_TARGET <target>])
#
# Builds a department plugin: a MODULE shared object linked against the
# escalation SDK (lite protobuf runtime), compiled with hidden visibility and
# linked with a version script, so the one exported symbol is the ABI entry
# point. Unresolved symbols fail the link, not the server's dlopen.
# The file is named <target>.so (no "lib" prefix): plugins are not libraries.
# SDK_TARGET (default EscalationSDK::sdk) picks another SDK build, e.g. one
# generated from a frozen copy of the API for the compatibility tests.
set(_ESCALATION_PLUGIN_MAP "${CMAKE_CURRENT_LIST_DIR}/plugin.map")

function(escalation_add_plugin target)
  cmake_parse_arguments(P "" "OUTPUT_DIRECTORY;SDK_TARGET" "SOURCES;LINK_LIBRARIES" ${ARGN})
  if(NOT P_SOURCES)
    message(FATAL_ERROR "escalation_add_plugin(${target}): SOURCES is required")
  endif()
  if(NOT P_SDK_TARGET)
    set(P_SDK_TARGET EscalationSDK::sdk)
  endif()
  add_library(${target} MODULE ${P_SOURCES})
  target_link_libraries(${target} PRIVATE ${P_SDK_TARGET} ${P_LINK_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON
    PREFIX ""
    LINK_DEPENDS "${_ESCALATION_PLUGIN_MAP}")
  target_link_options(${target} PRIVATE
    "LINKER:--version-script=${_ESCALATION_PLUGIN_MAP}"
    "LINKER:--no-undefined")
  if(P_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${P_OUTPUT_DIRECTORY}")
  endif()
endfunction()
