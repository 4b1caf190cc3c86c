/*
 * The escalation plugin ABI: the one boundary between the server and a
 * department plugin. Pure C; compiles as C and as C++.
 *
 * A plugin is a shared object exporting exactly one symbol,
 * ESCALATION_PLUGIN_ENTRY_SYMBOL, a function returning a pointer to a static
 * EscPluginDescriptor. Requests and results cross as protobuf wire bytes of
 * the messages in protos/escalation/v1/plugin.proto, so either side may be
 * built against an older copy of those files.
 *
 * The ABI promise (what never changes once shipped):
 *   - The meaning of every field and function below, for a given major version.
 *   - `struct_size` stays the first field; `magic`, `abi_major`, `abi_minor` follow.
 *   - New functions are only ever appended to the end of EscPluginDescriptor,
 *     with ESCALATION_ABI_MINOR bumped. The host checks `struct_size` before it
 *     touches an appended field. Removing or reordering anything is a new major.
 *
 * Threading: `route`, `admit` and `validate` are called concurrently from many
 * threads on one instance. An instance must not change after `create` returns.
 *
 * Errors: no C++ exception may cross this boundary. A function that fails
 * returns a non-zero EscStatus and puts a UTF-8 message (not NUL-terminated)
 * in the result buffer.
 */
#ifndef ESCALATION_PLUGIN_ABI_H_
#define ESCALATION_PLUGIN_ABI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* "ESCP" in ASCII. Identifies an escalation plugin descriptor. */
#define ESCALATION_PLUGIN_MAGIC 0x45534350u

#define ESCALATION_ABI_MAJOR 1u
#define ESCALATION_ABI_MINOR 2u

/* The name of the single exported entry symbol. */
#define ESCALATION_PLUGIN_ENTRY_SYMBOL "escalation_plugin_entry_v1"

/* Result of every ABI function. Values are never renumbered. */
typedef enum EscStatus {
  ESC_OK = 0,
  /* The request or configuration was malformed or refused by the plugin. */
  ESC_INVALID_ARGUMENT = 1,
  /* The plugin failed (an exception, a bug, a broken invariant). */
  ESC_INTERNAL = 2
} EscStatus;

/* Opaque per-instance state of a plugin. */
typedef struct EscPluginInstance EscPluginInstance;

/*
 * A buffer written by the plugin.
 * OWNERSHIP: `data` is owned by the plugin that wrote it; the host reads it
 * and then hands the buffer back through `release_buffer`, exactly once.
 * `data` may be NULL when `size` is 0.
 */
typedef struct EscBuffer {
  uint8_t* data;
  size_t size;
} EscBuffer;

typedef struct EscPluginDescriptor {
  /* sizeof(EscPluginDescriptor) as the plugin was compiled. Always first. */
  uint32_t struct_size;
  /* ESCALATION_PLUGIN_MAGIC. */
  uint32_t magic;
  /* ESCALATION_ABI_MAJOR / ESCALATION_ABI_MINOR the plugin was built against. */
  uint16_t abi_major;
  uint16_t abi_minor;
  /* OWNERSHIP: static strings owned by the plugin, NUL-terminated, valid for
   * as long as the shared object is loaded. */
  const char* name;
  const char* version;

  /* ---- ABI 1.0 ---- */

  /*
   * Creates an instance from `config`: wire bytes of google.protobuf.Struct
   * (the plugin's JSON configuration, parsed by the host; empty when none).
   * On ESC_OK, *out_instance is set and `out` is untouched.
   * On failure, `out` holds the reason.
   * OWNERSHIP: `config` is borrowed for the duration of the call;
   * *out_instance is owned by the host until passed to `destroy`.
   */
  EscStatus (*create)(const uint8_t* config, size_t config_size,
                      EscPluginInstance** out_instance, EscBuffer* out);

  /* Writes escalation.v1.PluginManifest wire bytes to `out`. */
  EscStatus (*manifest)(const EscPluginInstance* instance, EscBuffer* out);

  /* escalation.v1.PluginRouteRequest in, PluginRouteResponse out.
   * OWNERSHIP: `request` is borrowed for the duration of the call. */
  EscStatus (*route)(const EscPluginInstance* instance, const uint8_t* request,
                     size_t request_size, EscBuffer* out);

  /* escalation.v1.PluginAdmitRequest in, PluginAdmitResponse out. */
  EscStatus (*admit)(const EscPluginInstance* instance, const uint8_t* request,
                     size_t request_size, EscBuffer* out);

  /* escalation.v1.PluginValidateRequest in, PluginValidateResponse out. */
  EscStatus (*validate)(const EscPluginInstance* instance,
                        const uint8_t* request, size_t request_size,
                        EscBuffer* out);

  /* Frees a buffer this plugin wrote. Safe on an empty buffer. */
  void (*release_buffer)(EscBuffer* buffer);

  /* Destroys an instance made by `create`. */
  void (*destroy)(EscPluginInstance* instance);

  /* ---- ABI 1.1 ---- */

  /*
   * Writes escalation.v1.PluginFixedTexts wire bytes to `out`: the pieces of
   * Decision that the instance's route and admit answers cite instead of
   * writing them (plugin.proto says how a citation is written). Called once,
   * after `manifest`, before any call; the fragments hold for the instance's
   * life, and every instance made from the same configuration must declare
   * the same ones. NULL, or an empty message, declares none.
   * OWNERSHIP: as `manifest`.
   */
  EscStatus (*fixed_texts)(const EscPluginInstance* instance, EscBuffer* out);

  /* ---- ABI 1.2 appends no function. ----
   * A host speaking 1.2 reads PluginManifest.admit_request_form and
   * PluginAdmitResponse.edit (plugin.proto): a plugin may declare that its
   * `admit` reads only the head of a proposal and answers with an edit the
   * host applies. A 1.1 host would ignore both, so it refuses a 1.2 plugin
   * as it refuses any newer minor. */

  /* ---- Later minor versions append here. ---- */
} EscPluginDescriptor;

/* The type of the entry symbol. OWNERSHIP: the returned descriptor is static
 * and owned by the plugin. */
typedef const EscPluginDescriptor* (*EscPluginEntryFn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* ESCALATION_PLUGIN_ABI_H_ */
