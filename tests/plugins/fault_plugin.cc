// Test plugins that break one promise each, selected by a FAULT_* definition:
//   FAULT_NO_ENTRY       exports no entry symbol
//   FAULT_WRONG_MAGIC    descriptor with the wrong magic number
//   FAULT_WRONG_ABI      descriptor for ABI major 2
//   FAULT_NEWER_MINOR    descriptor for a minor newer than the server's
//   FAULT_THROWS         Route throws
//   FAULT_BAD_BYTES      Route answers bytes that do not parse
//   FAULT_ERROR_CODE     Route returns an error
//   FAULT_BAD_CONFIG     refuses any configuration
//   FAULT_BAD_CITATION   Route cites fixed text 999, which it never declared
//   FAULT_FIXED_BROKEN   declares a fixed text that is not whole wire bytes
//   FAULT_FIXED_NOT_UTF8 declares a fixed text whose note is not UTF-8
//   FAULT_FIXED_PER_PROCESS declares a fixed text that names its process
//   FAULT_UNDECLARED_EDIT proposes a transfer to the direct supervisor, which
//                        it admits by edit (ABI 1.2), making the output edits
//                        of a rule that declares none
// and the faults process isolation contains, each done for real when the
// call's extensions say {"fault": true} (other calls are answered, so a
// restarted worker can be seen to answer again):
//   FAULT_SLOW           sleeps 30 s in Route
//   FAULT_SEGFAULT       writes through a null pointer
//   FAULT_ABORT          calls abort()
//   FAULT_LEAK           leaks 1 MiB (touched) on every such call
//   FAULT_HUGE           answers a 100 MB proposal
// The runtime faults route LEADERSHIP_DESK calls, so they load beside a good
// plugin and fail only when called.
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>

#include "escalation/sdk/decision.h"
#include "escalation/sdk/plugin.h"

namespace {

namespace v1 = escalation::v1;

class FaultPlugin : public escalation::sdk::Plugin {
 public:
  FaultPlugin() {
    DeclareRule({FAULT_NAME ".rule", "A rule of a faulty plugin", "Test Article"});
    RoutesFor(v1::LEADERSHIP_DESK);
#ifdef FAULT_UNDECLARED_EDIT
    AdmitsFor(v1::Decision::DIRECT_SUPERVISOR);
    AdmitsByEdit();
#endif
#ifdef FAULT_BAD_CITATION
    v1::Decision note;
    note.add_notes("A note declared once.");
    DeclareFixed(std::move(note));  // So the host takes fixed texts from it.
#endif
  }

#ifdef FAULT_UNDECLARED_EDIT
  absl::Status Admit(const v1::PluginAdmitRequest&,
                     v1::PluginAdmitResponse* response) const override {
    response->mutable_edit()->add_output_edits_by(FAULT_NAME ".rule");
    return absl::OkStatus();
  }
#endif

#ifdef FAULT_BAD_CONFIG
  absl::Status Configure(const google::protobuf::Struct&) override {
    return absl::InvalidArgumentError("site \"atlantis\" has no booking_link");
  }
#endif

  absl::Status Route(const v1::PluginRouteRequest& request,
                     v1::PluginRouteResponse* response) const override {
#if defined(FAULT_THROWS)
    throw std::runtime_error("rule table corrupted");
#elif defined(FAULT_ERROR_CODE)
    return absl::InternalError("policy store unavailable");
#endif
    const auto& fields = request.call().extensions().fields();
    auto fault = fields.find("fault");
    v1::Decision* here = escalation::sdk::Propose(v1::RESOLVE_IN_DEPARTMENT, response);
    here->set_action(v1::RESOLVE_HERE);
    here->set_summary("Resolved by " FAULT_NAME ".");
#ifdef FAULT_UNDECLARED_EDIT
    here->set_action(v1::TRANSFER);
    here->set_destination(v1::Decision::DIRECT_SUPERVISOR);
#endif
#ifdef FAULT_BAD_CITATION
    // A citation (plugin.proto, PluginFixedTexts) of a fragment never declared.
    here->add_notes("\xEF\xB7\x90" "999");
#endif
    if (fault == fields.end() || !fault->second.bool_value()) return absl::OkStatus();
#if defined(FAULT_SLOW)
    std::this_thread::sleep_for(std::chrono::seconds(30));
#elif defined(FAULT_SEGFAULT)
    volatile int* nowhere = nullptr;
    *nowhere = 1;
#elif defined(FAULT_ABORT)
    std::abort();
#elif defined(FAULT_LEAK)
    char* leaked = new char[1 << 20];
    std::memset(leaked, 1, 1 << 20);
    here->set_summary(std::string(leaked, 1));
#elif defined(FAULT_HUGE)
    here->set_summary(std::string(100u << 20, 'x'));
#endif
    return absl::OkStatus();
  }
};

#ifdef FAULT_BAD_BYTES
EscStatus RouteBadBytes(const EscPluginInstance*, const uint8_t*, size_t,
                        EscBuffer* out) {
  // A field 1 length prefix claiming 100 bytes, followed by only three.
  static const uint8_t kGarbage[] = {0x0a, 0x64, 0x01, 0x02, 0x03};
  out->size = sizeof(kGarbage);
  out->data = new uint8_t[sizeof(kGarbage)];
  std::memcpy(out->data, kGarbage, sizeof(kGarbage));
  return ESC_OK;
}
#endif

#if defined(FAULT_FIXED_BROKEN) || defined(FAULT_FIXED_NOT_UTF8) || \
    defined(FAULT_FIXED_PER_PROCESS)
// PluginFixedTexts{decision_fragments: <fragment>}.
EscStatus DeclareFixedTexts(const EscPluginInstance*, EscBuffer* out) {
#if defined(FAULT_FIXED_BROKEN)
  // A notes field (12) claiming 100 bytes, followed by only three.
  const std::string fragment("\x62\x64\x01\x02\x03", 5);
#elif defined(FAULT_FIXED_NOT_UTF8)
  const std::string fragment("\x62\x02\xff\xfe", 4);
#else
  const std::string note = "worker " + std::to_string(getpid());
  const std::string fragment = "\x62" + std::string(1, static_cast<char>(note.size())) + note;
#endif
  const std::string wire = "\x0a" + std::string(1, static_cast<char>(fragment.size())) + fragment;
  out->size = wire.size();
  out->data = new uint8_t[wire.size()];
  std::memcpy(out->data, wire.data(), wire.size());
  return ESC_OK;
}
#endif

EscPluginDescriptor MakeFaultyDescriptor() {
  EscPluginDescriptor d = escalation::sdk::internal::MakeDescriptor(
      []() -> std::unique_ptr<escalation::sdk::Plugin> {
        return std::make_unique<FaultPlugin>();
      },
      FAULT_NAME, "0.0.1");
#if defined(FAULT_WRONG_MAGIC)
  d.magic = 0xDEADBEEF;
#elif defined(FAULT_WRONG_ABI)
  d.abi_major = ESCALATION_ABI_MAJOR + 1;
  d.abi_minor = 0;
#elif defined(FAULT_NEWER_MINOR)
  d.abi_minor = ESCALATION_ABI_MINOR + 1;
#elif defined(FAULT_BAD_BYTES)
  d.route = &RouteBadBytes;
#elif defined(FAULT_FIXED_BROKEN) || defined(FAULT_FIXED_NOT_UTF8) || \
    defined(FAULT_FIXED_PER_PROCESS)
  d.fixed_texts = &DeclareFixedTexts;
#endif
  return d;
}

}  // namespace

#ifndef FAULT_NO_ENTRY
extern "C" __attribute__((visibility("default"))) const EscPluginDescriptor*
escalation_plugin_entry_v1(void) {
  static const EscPluginDescriptor descriptor = MakeFaultyDescriptor();
  return &descriptor;
}
#else
// Something is exported, just not the entry point.
extern "C" __attribute__((visibility("default"))) int not_the_entry(void) {
  return MakeFaultyDescriptor().magic != 0;
}
#endif
