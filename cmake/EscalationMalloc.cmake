# The allocator of the programs that serve calls. A decision is hundreds of
# small strings and messages (protobuf 3.21 heap-allocates every string, even
# on an arena), and gRPC allocates per call too: with glibc's malloc,
# malloc/free were a quarter to a third of the server's CPU. jemalloc (Debian's
# libjemalloc-dev) is a well-kept allocator built for many threads and small
# objects, and gives freed memory back to the system over time.
#   -DESCALATION_MALLOC=jemalloc (default) | system
# The sanitizer and fuzz builds keep the system allocator, which ASan replaces.
set(ESCALATION_MALLOC "jemalloc" CACHE STRING "Allocator of the server, its workers and the benchmarks: jemalloc or system")
set_property(CACHE ESCALATION_MALLOC PROPERTY STRINGS jemalloc system)
if(ESCALATION_SANITIZERS OR ESCALATION_BUILD_FUZZERS)
  set(ESCALATION_MALLOC_LIBRARY "")
elseif(ESCALATION_MALLOC STREQUAL "jemalloc")
  find_library(ESCALATION_MALLOC_LIBRARY NAMES jemalloc REQUIRED)
elseif(ESCALATION_MALLOC STREQUAL "system")
  set(ESCALATION_MALLOC_LIBRARY "")
else()
  message(FATAL_ERROR "ESCALATION_MALLOC: \"${ESCALATION_MALLOC}\" is not jemalloc or system")
endif()

# Links `target` (an executable) with the allocator chosen above; the plugins
# it loads then allocate with it too.
function(escalation_use_malloc target)
  if(ESCALATION_MALLOC_LIBRARY)
    target_link_libraries(${target} PRIVATE ${ESCALATION_MALLOC_LIBRARY})
  endif()
endfunction()
