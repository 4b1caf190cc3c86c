# escalation_generate_protos(
#   OUT_SRCS <var> MODE <full|lite> [GRPC]
#   PROTO_ROOT <dir> OUT_DIR <dir> PROTOS <relative paths...>)
#
# Runs protoc on PROTOS (paths relative to PROTO_ROOT, or to /usr/include for
# well-known types under google/protobuf/). MODE lite emits lite-runtime code
# with no descriptor registration, for plugins; GRPC adds service stubs.
function(escalation_generate_protos)
  cmake_parse_arguments(P "GRPC" "OUT_SRCS;MODE;PROTO_ROOT;OUT_DIR" "PROTOS" ${ARGN})
  set(cpp_out "${P_OUT_DIR}")
  if(P_MODE STREQUAL "lite")
    set(cpp_out "lite:${P_OUT_DIR}")
  endif()
  set(srcs)
  # The well-known types' headers (listed first) come before any code that
  # includes them is generated, so it is never compiled against
  # /usr/include's full-runtime copies while they are still missing.
  set(well_known_headers)
  foreach(proto IN LISTS P_PROTOS)
    string(REGEX REPLACE "\\.proto$" "" stem "${proto}")
    if(proto MATCHES "^google/protobuf/")
      set(abs "${Protobuf_INCLUDE_DIR}/${proto}")
    else()
      set(abs "${P_PROTO_ROOT}/${proto}")
    endif()
    set(outs "${P_OUT_DIR}/${stem}.pb.cc" "${P_OUT_DIR}/${stem}.pb.h")
    set(args --cpp_out=${cpp_out})
    if(P_GRPC AND proto MATCHES "service\\.proto$")
      list(APPEND outs "${P_OUT_DIR}/${stem}.grpc.pb.cc" "${P_OUT_DIR}/${stem}.grpc.pb.h")
      list(APPEND args --grpc_out=${P_OUT_DIR} --plugin=protoc-gen-grpc=${GRPC_CPP_PLUGIN})
    endif()
    set(after)
    if(NOT proto MATCHES "^google/protobuf/")
      set(after ${well_known_headers})
    endif()
    add_custom_command(
      OUTPUT ${outs}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${P_OUT_DIR}
      COMMAND protobuf::protoc -I${P_PROTO_ROOT} -I${Protobuf_INCLUDE_DIR} ${args} ${abs}
      DEPENDS ${abs} protobuf::protoc ${after}
      COMMENT "protoc (${P_MODE}) ${proto}"
      VERBATIM)
    if(proto MATCHES "^google/protobuf/")
      list(APPEND well_known_headers "${P_OUT_DIR}/${stem}.pb.h")
    endif()
    list(FILTER outs INCLUDE REGEX "\\.cc$")
    list(APPEND srcs ${outs})
  endforeach()
  set(${P_OUT_SRCS} ${srcs} PARENT_SCOPE)
endfunction()
