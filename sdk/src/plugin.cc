#include "escalation/sdk/plugin.h"

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <utility>

#include "address_sanitized.h"
#include "fixed_access.h"
#include "kept_answers.h"
#include "google/protobuf/arena.h"

namespace escalation::sdk {

absl::Status Plugin::Configure(const google::protobuf::Struct& config) {
  if (!config.fields().empty()) {
    return absl::InvalidArgumentError(
        "this plugin takes no configuration, but some was given");
  }
  return absl::OkStatus();
}

absl::Status Plugin::Route(const v1::PluginRouteRequest&,
                           v1::PluginRouteResponse*) const {
  return absl::UnimplementedError("this plugin does not route calls");
}

absl::Status Plugin::Admit(const v1::PluginAdmitRequest&,
                           v1::PluginAdmitResponse*) const {
  return absl::OkStatus();  // Keeps the proposal as it is.
}

absl::Status Plugin::AdmitTaking(v1::PluginAdmitRequest* request,
                                 v1::PluginAdmitResponse* response) const {
  return Admit(*request, response);
}

absl::Status Plugin::Validate(const v1::PluginValidateRequest&,
                              v1::PluginValidateResponse*) const {
  return absl::UnimplementedError("this plugin does not validate tasks");
}

void Plugin::SetDescription(std::string description) {
  manifest_.set_description(std::move(description));
}
void Plugin::RoutesFor(v1::Department department) {
  manifest_.add_routes_for(department);
}
void Plugin::AdmitsFor(v1::Decision::Destination destination) {
  manifest_.add_admits_for(destination);
}
void Plugin::AdmitsByEdit() {
#ifndef ESCALATION_SDK_ABI_1_0  // Admitting by edit came with ABI 1.2.
  manifest_.set_admit_request_form(v1::ADMIT_REQUEST_FORM_PROPOSAL_HEAD);
#endif
}
void Plugin::Validates(v1::TaskKind kind) { manifest_.add_validates(kind); }

const Rule& Plugin::DeclareRule(Rule rule) {
  v1::RuleInfo* info = manifest_.add_rules();
  info->set_id(rule.id);
  info->set_title(rule.title);
  info->set_source_article(rule.source_article);
  v1::Decision cited;
  v1::MatchedRule* matched = cited.add_matched_rules();
  matched->set_rule_id(rule.id);
  matched->set_title(rule.title);
  matched->set_source_article(rule.source_article);
  fixed_rules_.emplace_back(rule.id, &DeclareFixed(std::move(cited)));
  rules_.push_back(std::make_unique<Rule>(std::move(rule)));
  return *rules_.back();
}

namespace internal {
namespace {

// What the host holds as an EscPluginInstance.
struct Instance {
  std::unique_ptr<Plugin> plugin;
  // Set once the host has taken the plugin's fixed texts: its route and
  // admit answers then cite them.
  mutable std::atomic<bool> citing{false};
};

// The factory of this shared object's plugin; one per shared object.
PluginFactory g_factory = nullptr;

const Plugin& PluginOf(const EscPluginInstance* instance) {
  return *reinterpret_cast<const Instance*>(instance)->plugin;
}

// The plugin whose answers cite its fixed texts, or null.
const Plugin* CitingPlugin(const EscPluginInstance* instance) {
  const auto* i = reinterpret_cast<const Instance*>(instance);
  return i->citing.load(std::memory_order_relaxed) ? i->plugin.get() : nullptr;
}

// The buffers answers are handed to the host in, each a plain `new[]`.
// Each thread keeps the last one it lent that came back to it (up to
// kKeptBytes) for its next answer, so a plugin that answers call after call
// on one thread, as the host calls it, allocates none. Any other buffer
// handed back (lent by another thread, or written by a plugin's own ABI
// function) is freed. Under AddressSanitizer none is kept (nor is the
// thread-local touched): a host reading a buffer after handing it back is
// then caught.
class AnswerBuffers {
 public:
  static uint8_t* Take(size_t size) {
#ifdef ESCALATION_SDK_ADDRESS_SANITIZED
    return new uint8_t[size];
#else
    Thread& t = ThisThread();
    if (t.kept == nullptr || t.kept_capacity < size) {
      delete[] std::exchange(t.kept, nullptr);
      t.kept_capacity = std::max(size, kFirstBytes);
      t.kept = new uint8_t[t.kept_capacity];
    }
    t.lent = std::exchange(t.kept, nullptr);
    t.lent_capacity = t.kept_capacity;
    return t.lent;
#endif
  }
  static void Give(uint8_t* data) {
#ifndef ESCALATION_SDK_ADDRESS_SANITIZED
    Thread& t = ThisThread();
    if (data != nullptr && data == t.lent) {
      t.lent = nullptr;
      if (t.kept == nullptr && t.lent_capacity <= kKeptBytes) {
        t.kept = data;
        t.kept_capacity = t.lent_capacity;
        return;
      }
    }
#endif
    delete[] data;
  }

 private:
  static constexpr size_t kFirstBytes = 4096;
  static constexpr size_t kKeptBytes = 256 * 1024;
  struct Thread {
    uint8_t* kept = nullptr;
    size_t kept_capacity = 0;
    uint8_t* lent = nullptr;  // The last one lent, until it comes back.
    size_t lent_capacity = 0;
    ~Thread() { delete[] kept; }
  };
  static Thread& ThisThread() {
    thread_local Thread thread;
    return thread;
  }
};

// Copies `bytes` into a buffer the host returns through ReleaseBuffer.
void Fill(const std::string& bytes, EscBuffer* out) {
  out->size = bytes.size();
  out->data = bytes.empty() ? nullptr : AnswerBuffers::Take(bytes.size());
  if (!bytes.empty()) std::memcpy(out->data, bytes.data(), bytes.size());
}

EscStatus Fail(EscStatus status, const std::string& message, EscBuffer* out) {
  Fill(message, out);
  return status;
}

EscStatus FromStatus(const absl::Status& status, EscBuffer* out) {
  if (status.ok()) return ESC_OK;
  return Fail(status.code() == absl::StatusCode::kInvalidArgument
                  ? ESC_INVALID_ARGUMENT
                  : ESC_INTERNAL,
              std::string(status.message()), out);
}

// Runs `body`, turning any exception into ESC_INTERNAL with its message.
template <typename Body>
EscStatus Guarded(EscBuffer* out, Body body) {
  try {
    return body();
  } catch (const std::exception& e) {
    return Fail(ESC_INTERNAL, std::string("plugin threw: ") + e.what(), out);
  } catch (...) {
    return Fail(ESC_INTERNAL, "plugin threw a non-standard exception", out);
  }
}

// Before a route or admit answer is written, its cited items lose the ids
// the host would replace (FixedAccess::DropCitedIds).
void BeforeWriting(v1::PluginRouteResponse* response) {
  if (!FixedAccess::Citing()) return;
  for (v1::Proposal& p : *response->mutable_proposals()) {
    if (p.has_decision()) FixedAccess::DropCitedIds(p.mutable_decision());
  }
}
void BeforeWriting(v1::PluginAdmitResponse* response) {
#ifndef ESCALATION_SDK_ABI_1_0  // ProposalEdit came with ABI 1.2.
  if (!FixedAccess::Citing()) return;
  if (response->has_edit() && response->edit().has_decision()) {
    FixedAccess::DropCitedIds(response->mutable_edit()->mutable_decision());
  }
  if (response->has_amended() && response->amended().has_decision()) {
    FixedAccess::DropCitedIds(response->mutable_amended()->mutable_decision());
  }
#else
  (void)response;
#endif
}
void BeforeWriting(v1::PluginValidateResponse*) {}

// The message a hook writes its answer into, and what becomes of it once
// written (`wire_size`; SIZE_MAX when it was not): a route answer goes into
// the response this thread keeps, others onto the call's arena, where an
// admit answer's edit may borrow the thread's decision (kept_answers.h).
// Under AddressSanitizer every answer is on the arena (address_sanitized.h).
template <typename Response>
struct AnswerMessage {
  explicit AnswerMessage(google::protobuf::Arena* arena)
      : response(google::protobuf::Arena::CreateMessage<Response>(arena)) {}
  void Written(size_t) {}
  Response* const response;
};
#ifndef ESCALATION_SDK_ADDRESS_SANITIZED
template <>
struct AnswerMessage<v1::PluginRouteResponse> {
  explicit AnswerMessage(google::protobuf::Arena*) {}
  ~AnswerMessage() { KeptAnswers::RecycleRoute(wire_size); }
  void Written(size_t size) { wire_size = size; }
  v1::PluginRouteResponse* const response = KeptAnswers::RouteResponse();
  size_t wire_size = SIZE_MAX;
};
#ifndef ESCALATION_SDK_ABI_1_0
template <>
struct AnswerMessage<v1::PluginAdmitResponse> {
  explicit AnswerMessage(google::protobuf::Arena* arena)
      : response(google::protobuf::Arena::CreateMessage<v1::PluginAdmitResponse>(arena)) {}
  ~AnswerMessage() { KeptAnswers::RecycleAdmit(response, wire_size); }
  void Written(size_t size) { wire_size = size; }
  v1::PluginAdmitResponse* const response;
  size_t wire_size = SIZE_MAX;
};
#endif
#endif  // ESCALATION_SDK_ADDRESS_SANITIZED

// Parses `Request`, calls `hook`, serializes `Response` into `out`. The
// request lives on an arena whose first block is on the stack: a decision is
// hundreds of small strings, and one arena beats as many heap allocations.
template <typename Request, typename Response, typename Hook>
EscStatus Call(const uint8_t* bytes, size_t size, EscBuffer* out, Hook hook) {
  *out = EscBuffer{nullptr, 0};
  return Guarded(out, [&]() -> EscStatus {
    alignas(8) char first_block[16 * 1024];
    google::protobuf::ArenaOptions options;
    options.initial_block = first_block;
    options.initial_block_size = sizeof(first_block);
    google::protobuf::Arena arena(options);
    auto* request = google::protobuf::Arena::CreateMessage<Request>(&arena);
    if (!request->ParseFromArray(bytes, static_cast<int>(size))) {
      return Fail(ESC_INVALID_ARGUMENT,
                  "request is not a valid " + request->GetTypeName(), out);
    }
    AnswerMessage<Response> answer(&arena);
    Response* response = answer.response;
    absl::Status status = hook(*request, response);
    if (!status.ok()) return FromStatus(status, out);
    BeforeWriting(response);
    const size_t wire_size = response->ByteSizeLong();
    out->data = wire_size == 0 ? nullptr : AnswerBuffers::Take(wire_size);
    out->size = wire_size;
    response->SerializeWithCachedSizesToArray(out->data);
    answer.Written(wire_size);
    return ESC_OK;
  });
}

EscStatus Create(const uint8_t* config, size_t config_size,
                 EscPluginInstance** out_instance, EscBuffer* out) {
  *out = EscBuffer{nullptr, 0};
  *out_instance = nullptr;
  return Guarded(out, [&]() -> EscStatus {
    google::protobuf::Struct parsed;
    if (!parsed.ParseFromArray(config, static_cast<int>(config_size))) {
      return Fail(ESC_INVALID_ARGUMENT,
                  "configuration is not a valid google.protobuf.Struct", out);
    }
    auto instance = std::make_unique<Instance>();
    instance->plugin = g_factory();
    if (!instance->plugin->load_status().ok()) {
      return FromStatus(instance->plugin->load_status(), out);
    }
    absl::Status status = instance->plugin->Configure(parsed);
    if (status.ok()) status = FixedAccess::Seal(*instance->plugin);
    if (!status.ok()) return FromStatus(status, out);
    *out_instance = reinterpret_cast<EscPluginInstance*>(instance.release());
    return ESC_OK;
  });
}

EscStatus Manifest(const EscPluginInstance* instance, EscBuffer* out) {
  *out = EscBuffer{nullptr, 0};
  return Guarded(out, [&]() -> EscStatus {
    std::string wire;
    PluginOf(instance).manifest().SerializeToString(&wire);
    Fill(wire, out);
    return ESC_OK;
  });
}

[[maybe_unused]] EscStatus FixedTexts(const EscPluginInstance* instance, EscBuffer* out) {
  *out = EscBuffer{nullptr, 0};
  return Guarded(out, [&]() -> EscStatus {
    const auto* i = reinterpret_cast<const Instance*>(instance);
    const std::string wire = FixedAccess::Declared(*i->plugin);
    Fill(wire, out);
    i->citing.store(!wire.empty(), std::memory_order_relaxed);
    return ESC_OK;
  });
}

EscStatus Route(const EscPluginInstance* instance, const uint8_t* request,
                size_t size, EscBuffer* out) {
  FixedAccess::CitingScope citing(CitingPlugin(instance));
  return Call<v1::PluginRouteRequest, v1::PluginRouteResponse>(
      request, size, out, [&](const auto& req, auto* resp) {
        return PluginOf(instance).Route(req, resp);
      });
}

EscStatus Admit(const EscPluginInstance* instance, const uint8_t* request,
                size_t size, EscBuffer* out) {
  FixedAccess::CitingScope citing(CitingPlugin(instance));
  return Call<v1::PluginAdmitRequest, v1::PluginAdmitResponse>(
      request, size, out, [&](auto& req, auto* resp) {
        return PluginOf(instance).AdmitTaking(&req, resp);
      });
}

EscStatus Validate(const EscPluginInstance* instance, const uint8_t* request,
                   size_t size, EscBuffer* out) {
  return Call<v1::PluginValidateRequest, v1::PluginValidateResponse>(
      request, size, out, [&](const auto& req, auto* resp) {
        return PluginOf(instance).Validate(req, resp);
      });
}

void ReleaseBuffer(EscBuffer* buffer) {
  if (buffer == nullptr) return;
  AnswerBuffers::Give(buffer->data);
  *buffer = EscBuffer{nullptr, 0};
}

void Destroy(EscPluginInstance* instance) {
  delete reinterpret_cast<Instance*>(instance);
}

}  // namespace

EscPluginDescriptor MakeDescriptor(PluginFactory factory, const char* name,
                                   const char* version) {
  g_factory = factory;
  EscPluginDescriptor d{};
#ifdef ESCALATION_SDK_ABI_1_0
  // The SDK as first released (tests/compat): an ABI 1.0 descriptor.
  d.struct_size = offsetof(EscPluginDescriptor, fixed_texts);
  d.abi_minor = 0;
#else
  d.struct_size = sizeof(EscPluginDescriptor);
  d.abi_minor = ESCALATION_ABI_MINOR;
  d.fixed_texts = &FixedTexts;
#endif
  d.magic = ESCALATION_PLUGIN_MAGIC;
  d.abi_major = ESCALATION_ABI_MAJOR;
  d.name = name;
  d.version = version;
  d.create = &Create;
  d.manifest = &Manifest;
  d.route = &Route;
  d.admit = &Admit;
  d.validate = &Validate;
  d.release_buffer = &ReleaseBuffer;
  d.destroy = &Destroy;
  return d;
}

}  // namespace internal
}  // namespace escalation::sdk
