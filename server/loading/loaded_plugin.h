// One plugin shared object, opened in this process, checked against the ABI
// and configured. Call() runs the plugin on the caller's thread (tools and
// tests); the server runs it through an InProcessPlugin or in a worker process.
#ifndef ESCALATION_SERVER_LOADING_LOADED_PLUGIN_H_
#define ESCALATION_SERVER_LOADING_LOADED_PLUGIN_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "escalation/plugin_abi.h"
#include "google/protobuf/struct.pb.h"
#include "server/plugin/plugin.h"
#include "server/loading/plugin_image.h"

namespace escalation::host {

// A buffer a plugin wrote, handed back to it (release_buffer) when this goes.
class PluginBuffer {
 public:
  PluginBuffer() = default;
  PluginBuffer(const EscPluginDescriptor* owner, EscBuffer buffer)
      : owner_(owner), buffer_(buffer) {}
  PluginBuffer(PluginBuffer&& other) noexcept
      : owner_(other.owner_), buffer_(other.buffer_) {
    other.owner_ = nullptr;
  }
  PluginBuffer& operator=(PluginBuffer&& other) noexcept;
  ~PluginBuffer() { Release(); }

  absl::string_view view() const {
    return buffer_.data == nullptr
               ? absl::string_view()
               : absl::string_view(reinterpret_cast<const char*>(buffer_.data), buffer_.size);
  }

 private:
  void Release();
  const EscPluginDescriptor* owner_ = nullptr;
  EscBuffer buffer_{nullptr, 0};
};

// What a plugin function returned, before the host judged it.
struct RawAnswer {
  EscStatus status = ESC_OK;
  // The plugin's bytes, none when they were over the size bound: its own
  // buffer when it ran in this process, or as a worker sent them.
  PluginBuffer lent;
  std::string received;
  absl::string_view bytes() const { return received.empty() ? lent.view() : received; }
  // How many bytes the plugin wrote, and whether that was over the bound.
  size_t size = 0;
  bool too_large = false;
};

// Turns a plugin's raw answer into the reply the engine sees, every failure
// naming `plugin`; the bytes are `answer`'s. A plugin's own message is cut
// to a short prefix.
absl::StatusOr<absl::string_view> JudgeAnswer(absl::string_view plugin, PluginMethod method,
                                              const RawAnswer& answer,
                                              size_t max_response_bytes);

class LoadedPlugin final : public Plugin {
 public:
  // Loads the image's bytes (RTLD_NOW | RTLD_LOCAL) and checks, in order:
  // the bytes export the entry symbol (read before loading), they load as a
  // shared object, the descriptor's size, magic and ABI version are
  // acceptable. Then creates an instance with `config` and reads its
  // manifest. Every error names image->path() and the reason. The shared
  // object is never closed once loaded (docs/architecture.md, The plugin boundary), nor is its image.
  static absl::StatusOr<std::unique_ptr<LoadedPlugin>> Load(
      const std::shared_ptr<const PluginImage>& image, const google::protobuf::Struct& config,
      const std::string& config_path);

  // Reads the plugin's name from its descriptor without creating an instance,
  // so the host can find its configuration first.
  static absl::StatusOr<std::string> PeekName(const std::shared_ptr<const PluginImage>& image);

  ~LoadedPlugin();
  LoadedPlugin(const LoadedPlugin&) = delete;
  LoadedPlugin& operator=(const LoadedPlugin&) = delete;


  // Runs `method` on this thread; a plugin answer over `max_response_bytes`
  // is measured, released and not copied.
  RawAnswer CallRaw(PluginMethod method, absl::string_view request,
                    size_t max_response_bytes) const;

  // Runs the call on this thread and replies before returning. The deadline
  // and the limits are not applied here: an InProcessPlugin applies them.
  void Call(PluginMethod method, absl::string_view request, absl::Time deadline,
            PluginReply reply) const override;

  // Direct callers' bound on an answer.
  static constexpr size_t kDefaultMaxResponseBytes = 64u << 20;

 private:
  LoadedPlugin() = default;
  // Reads and checks the texts an ABI 1.1 plugin declares for its answers
  // to cite; the error names `path`.
  absl::Status ReadFixedTexts(const std::string& path);

  const EscPluginDescriptor* descriptor_ = nullptr;
  EscPluginInstance* instance_ = nullptr;
};

}  // namespace escalation::host

#endif  // ESCALATION_SERVER_LOADING_LOADED_PLUGIN_H_
