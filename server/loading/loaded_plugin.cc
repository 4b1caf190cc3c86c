#include "server/loading/loaded_plugin.h"

#include <dlfcn.h>

#include <cstddef>

#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/wire/fixed_texts.h"
#include "server/loading/plugin_file_trust.h"
#include "server/wire/short_prefix.h"

namespace escalation::host {
namespace {

// The descriptor prefix every ABI version shares (ABI 1.0's); read before
// trusting more.
constexpr size_t kMinimumDescriptorSize = offsetof(EscPluginDescriptor, fixed_texts);
// The descriptor of ABI 1.1 and later, which has `fixed_texts`.
constexpr size_t kFixedTextsDescriptorSize =
    offsetof(EscPluginDescriptor, fixed_texts) + sizeof(EscPluginDescriptor::fixed_texts);

absl::Status LoadError(const std::string& path, absl::string_view reason) {
  return absl::FailedPreconditionError(
      absl::StrCat("plugin ", path, ": ", reason));
}

// Keeps a loaded image open for the life of the process: the dynamic loader
// knows the object by the name "/proc/self/fd/N", and would take a later
// image that got the same descriptor number for this one.
void KeepOpen(std::shared_ptr<const PluginImage> image) {
  static std::mutex mu;
  static auto* kept = new std::vector<std::shared_ptr<const PluginImage>>();
  std::lock_guard<std::mutex> lock(mu);
  kept->push_back(std::move(image));
}

// Loads the image's bytes and returns their checked descriptor. Their ELF
// symbol table is read first, so a shared object that is not a plugin is
// refused before its constructors could run here (docs/architecture.md, Plugin files and trust).
absl::StatusOr<const EscPluginDescriptor*> OpenDescriptor(
    const std::shared_ptr<const PluginImage>& image) {
  const std::string& path = image->path();
  if (absl::Status elf = CheckElfExportsEntrySymbol(*image, ESCALATION_PLUGIN_ENTRY_SYMBOL);
      !elf.ok()) {
    return elf;
  }
  // Never dlclose'd: thread-local destructors and static state make unloading
  // a plugin that has run unsafe.
  void* handle = dlopen(image->LoadPath().c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* error = dlerror();
    return LoadError(path, absl::StrCat("cannot be loaded as a shared object: ",
                                        error ? error : "unknown error"));
  }
  KeepOpen(image);
  dlerror();
  void* symbol = dlsym(handle, ESCALATION_PLUGIN_ENTRY_SYMBOL);
  if (symbol == nullptr) {
    return LoadError(path, absl::StrCat("has no entry symbol ",
                                        ESCALATION_PLUGIN_ENTRY_SYMBOL,
                                        " (not an escalation plugin?)"));
  }
  const EscPluginDescriptor* d =
      reinterpret_cast<EscPluginEntryFn>(symbol)();
  if (d == nullptr) return LoadError(path, "entry function returned no descriptor");
  if (d->struct_size < 3 * sizeof(uint32_t)) {
    return LoadError(path, absl::StrCat("descriptor is too small (",
                                        d->struct_size, " bytes)"));
  }
  if (d->magic != ESCALATION_PLUGIN_MAGIC) {
    return LoadError(path, absl::StrCat("wrong magic number 0x",
                                        absl::Hex(d->magic), ", expected 0x",
                                        absl::Hex(ESCALATION_PLUGIN_MAGIC)));
  }
  if (d->abi_major != ESCALATION_ABI_MAJOR) {
    return LoadError(path, absl::StrCat("built for plugin ABI ", d->abi_major,
                                        ".", d->abi_minor, "; this server speaks ",
                                        ESCALATION_ABI_MAJOR, ".x"));
  }
  if (d->abi_minor > ESCALATION_ABI_MINOR) {
    return LoadError(path, absl::StrCat("built for plugin ABI ", d->abi_major,
                                        ".", d->abi_minor,
                                        ", newer than this server's ",
                                        ESCALATION_ABI_MAJOR, ".",
                                        ESCALATION_ABI_MINOR));
  }
  if (d->struct_size < kMinimumDescriptorSize) {
    return LoadError(path, absl::StrCat("descriptor is ", d->struct_size,
                                        " bytes, smaller than ABI ",
                                        ESCALATION_ABI_MAJOR, ".0's ",
                                        kMinimumDescriptorSize));
  }
  if (d->name == nullptr || d->name[0] == '\0' || d->version == nullptr) {
    return LoadError(path, "descriptor has no name or version");
  }
  if (!d->create || !d->manifest || !d->route || !d->admit || !d->validate ||
      !d->release_buffer || !d->destroy) {
    return LoadError(path, "descriptor lacks an ABI 1.0 function");
  }
  return d;
}

// Takes a plugin-written buffer's contents and hands the buffer back.
std::string TakeBuffer(const EscPluginDescriptor* d, EscBuffer* buffer) {
  std::string bytes;
  if (buffer->data != nullptr && buffer->size > 0) {
    bytes.assign(reinterpret_cast<const char*>(buffer->data), buffer->size);
  }
  d->release_buffer(buffer);
  return bytes;
}

// A plugin's message may quote a client's value: it is cut, never echoed whole.
constexpr size_t kMaxPluginMessageBytes = 400;

const char* StatusName(EscStatus status) {
  switch (status) {
    case ESC_OK: return "OK";
    case ESC_INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case ESC_INTERNAL: return "INTERNAL";
  }
  return "unknown status";
}

}  // namespace

absl::StatusOr<std::string> LoadedPlugin::PeekName(
    const std::shared_ptr<const PluginImage>& image) {
  absl::StatusOr<const EscPluginDescriptor*> d = OpenDescriptor(image);
  if (!d.ok()) return d.status();
  return std::string((*d)->name);
}

absl::StatusOr<std::unique_ptr<LoadedPlugin>> LoadedPlugin::Load(
    const std::shared_ptr<const PluginImage>& image, const google::protobuf::Struct& config,
    const std::string& config_path) {
  const std::string& path = image->path();
  absl::StatusOr<const EscPluginDescriptor*> d = OpenDescriptor(image);
  if (!d.ok()) return d.status();

  std::unique_ptr<LoadedPlugin> plugin(new LoadedPlugin());
  plugin->descriptor_ = *d;
  const std::string config_bytes = config.SerializeAsString();
  EscBuffer out{nullptr, 0};
  const EscStatus created = (*d)->create(
      reinterpret_cast<const uint8_t*>(config_bytes.data()),
      config_bytes.size(), &plugin->instance_, &out);
  const std::string message = TakeBuffer(*d, &out);
  if (created != ESC_OK || plugin->instance_ == nullptr) {
    return LoadError(path, absl::StrCat(
        "refused its configuration",
        config_path.empty() ? "" : absl::StrCat(" (", config_path, ")"), ": ",
        message.empty() ? StatusName(created) : message));
  }

  EscBuffer manifest_out{nullptr, 0};
  const EscStatus listed = (*d)->manifest(plugin->instance_, &manifest_out);
  const std::string manifest_bytes = TakeBuffer(*d, &manifest_out);
  v1::PluginManifest* manifest = plugin->info_.mutable_manifest();
  if (listed != ESC_OK || !manifest->ParseFromString(manifest_bytes)) {
    return LoadError(path, "returned a manifest that does not parse");
  }
  // The descriptor is authoritative for identity.
  manifest->set_name((*d)->name);
  manifest->set_version((*d)->version);
  plugin->info_.set_path(path);
  plugin->info_.set_abi_major((*d)->abi_major);
  plugin->info_.set_abi_minor((*d)->abi_minor);
  plugin->info_.set_config_path(config_path);
  if (absl::Status s = plugin->ReadFixedTexts(path); !s.ok()) return s;
  return plugin;
}

absl::Status LoadedPlugin::ReadFixedTexts(const std::string& path) {
  const EscPluginDescriptor* d = descriptor_;
  if (d->abi_minor < 1 || d->struct_size < kFixedTextsDescriptorSize || d->fixed_texts == nullptr) {
    return absl::OkStatus();
  }
  EscBuffer out{nullptr, 0};
  const EscStatus declared = d->fixed_texts(instance_, &out);
  std::string bytes = TakeBuffer(d, &out);
  if (declared != ESC_OK) {
    return LoadError(path, absl::StrCat("failed to declare its fixed texts: ",
                                        ShortPrefix(bytes, kMaxPluginMessageBytes)));
  }
  if (bytes.empty()) return absl::OkStatus();
  absl::StatusOr<std::shared_ptr<const FixedTexts>> texts =
      FixedTexts::Make(path, name(), std::move(bytes));
  if (!texts.ok()) return texts.status();
  fixed_texts_ = *std::move(texts);
  return absl::OkStatus();
}

LoadedPlugin::~LoadedPlugin() {
  if (instance_ != nullptr) descriptor_->destroy(instance_);
}

RawAnswer LoadedPlugin::CallRaw(PluginMethod method, absl::string_view request,
                                size_t max_response_bytes) const {
  using AbiCall = EscStatus (*)(const EscPluginInstance*, const uint8_t*,
                                size_t, EscBuffer*);
  AbiCall call = nullptr;
  switch (method) {
    case PluginMethod::kRoute: call = descriptor_->route; break;
    case PluginMethod::kAdmit: call = descriptor_->admit; break;
    case PluginMethod::kValidate: call = descriptor_->validate; break;
  }
  RawAnswer answer;
  if (call == nullptr) {
    answer.status = ESC_INTERNAL;
    answer.received = "unknown plugin method";
    return answer;
  }
  EscBuffer out{nullptr, 0};
  answer.status = call(instance_, reinterpret_cast<const uint8_t*>(request.data()),
                       request.size(), &out);
  answer.size = out.size;
  answer.too_large = out.size > max_response_bytes;
  PluginBuffer written(descriptor_, out);
  if (!answer.too_large) answer.lent = std::move(written);
  return answer;
}

void LoadedPlugin::Call(PluginMethod method, absl::string_view request, absl::Time,
                        PluginReply reply) const {
  const RawAnswer answer = CallRaw(method, request, kDefaultMaxResponseBytes);
  std::move(reply)(JudgeAnswer(name(), method, answer, kDefaultMaxResponseBytes));
}

PluginBuffer& PluginBuffer::operator=(PluginBuffer&& other) noexcept {
  if (this != &other) {
    Release();
    owner_ = other.owner_;
    buffer_ = other.buffer_;
    other.owner_ = nullptr;
  }
  return *this;
}

void PluginBuffer::Release() {
  if (owner_ != nullptr) owner_->release_buffer(&buffer_);
  owner_ = nullptr;
}

absl::StatusOr<absl::string_view> JudgeAnswer(absl::string_view plugin, PluginMethod method,
                                              const RawAnswer& answer,
                                              size_t max_response_bytes) {
  if (answer.too_large) {
    return absl::InternalError(absl::StrCat(
        "plugin ", plugin, " answered ", answer.size, " bytes from ",
        MethodName(method), ", over its limit of ", max_response_bytes,
        " bytes; the answer was refused"));
  }
  if (answer.status == ESC_OK) return answer.bytes();
  const std::string message = ShortPrefix(answer.bytes(), kMaxPluginMessageBytes);
  if (answer.status == ESC_INVALID_ARGUMENT) {
    // The plugin found the request itself at fault (e.g. an unknown site).
    return absl::InvalidArgumentError(
        absl::StrCat("plugin ", plugin, " refused the request: ", message));
  }
  return absl::InternalError(absl::StrCat("plugin ", plugin, " failed in ",
                                          MethodName(method), " (",
                                          StatusName(answer.status),
                                          "): ", message));
}

}  // namespace escalation::host
