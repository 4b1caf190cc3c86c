// A shared object that is not a plugin: its constructor writes the file named
// by ESCALATION_MARKER_FILE, so a test can tell whether anything ever loaded
// it. With MARKER_ENTRY_AS_DATA it exports the entry symbol's name as a
// variable instead of a function.
#include <cstdio>
#include <cstdlib>

__attribute__((constructor)) static void WriteMarker() {
  const char* path = std::getenv("ESCALATION_MARKER_FILE");
  if (path == nullptr) return;
  if (FILE* f = std::fopen(path, "w")) {
    std::fputs("constructor ran\n", f);
    std::fclose(f);
  }
}

#ifdef MARKER_ENTRY_AS_DATA
extern "C" {
__attribute__((visibility("default"))) int escalation_plugin_entry_v1 = 1;
}
#endif

extern "C" __attribute__((visibility("default"))) int not_a_plugin_function() { return 42; }
