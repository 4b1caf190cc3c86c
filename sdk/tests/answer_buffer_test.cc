// The buffers a plugin hands its answers over in: answering on the thread
// that answered last costs no allocation (the buffer handed back is used
// again), and an answer too big for it gets one of its own. Counts every
// operator new of this program, so it is a program of its own, left out of
// sanitizer builds (whose allocators these replacements would displace, and
// under which the SDK keeps no buffer).
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>

#include "escalation/plugin_abi.h"
#include "escalation/sdk/plugin.h"
#include "gtest/gtest.h"

namespace {
std::atomic<int64_t> allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace escalation::sdk {
namespace {

// Answers `proposals` proposals, each with no string a heap buffer would
// hold, whatever it is asked.
class ProposingPlugin : public Plugin {
 public:
  explicit ProposingPlugin(int proposals) : proposals_(proposals) {
    RoutesFor(v1::CUSTOMER_SERVICE);
  }
  absl::Status Route(const v1::PluginRouteRequest&,
                     v1::PluginRouteResponse* response) const override {
    for (int i = 0; i < proposals_; ++i) {
      v1::Proposal* p = response->add_proposals();
      p->set_priority(v1::TIER2_SITUATION);
      p->mutable_decision()->set_action(v1::TRANSFER);
      p->mutable_decision()->set_destination(v1::Decision::TIER2);
    }
    return absl::OkStatus();
  }

 private:
  const int proposals_;
};

int proposals_to_make = 1;
std::unique_ptr<Plugin> MakeProposingPlugin() {
  return std::make_unique<ProposingPlugin>(proposals_to_make);
}

// One plugin instance created through the ABI.
class AnswerBufferTest : public ::testing::Test {
 protected:
  void Create(int proposals) {
    proposals_to_make = proposals;
    d_ = internal::MakeDescriptor(&MakeProposingPlugin, "proposing", "1.0.0");
    EscBuffer message{nullptr, 0};
    ASSERT_EQ(d_.create(nullptr, 0, &instance_, &message), ESC_OK);
    d_.release_buffer(&message);
    v1::PluginRouteRequest request;
    request.mutable_call()->set_department(v1::CUSTOMER_SERVICE);
    request_ = request.SerializeAsString();
  }
  void TearDown() override {
    if (instance_ != nullptr) d_.destroy(instance_);
  }
  // Routes once and hands the buffer back; the answer's bytes.
  std::string Route() {
    EscBuffer out{nullptr, 0};
    const EscStatus status = d_.route(
        instance_, reinterpret_cast<const uint8_t*>(request_.data()), request_.size(), &out);
    std::string bytes(reinterpret_cast<const char*>(out.data), out.size);
    d_.release_buffer(&out);
    EXPECT_EQ(status, ESC_OK) << bytes;
    return bytes;
  }

  EscPluginDescriptor d_{};
  EscPluginInstance* instance_ = nullptr;
  std::string request_;
};

std::string Expected(int proposals) {
  v1::PluginRouteResponse response;
  ProposingPlugin(proposals).Route({}, &response).IgnoreError();
  return response.SerializeAsString();
}

TEST_F(AnswerBufferTest, AnsweringOnTheThreadThatAnsweredLastAllocatesNothing) {
  Create(1);
  const std::string expected = Expected(1);
  ASSERT_EQ(Route(), expected);  // The thread's buffer is made.
  std::string again;
  again.reserve(expected.size());
  const int64_t before = allocations.load();
  EscBuffer out{nullptr, 0};
  ASSERT_EQ(d_.route(instance_, reinterpret_cast<const uint8_t*>(request_.data()),
                     request_.size(), &out),
            ESC_OK);
  again.assign(reinterpret_cast<const char*>(out.data), out.size);
  d_.release_buffer(&out);
  EXPECT_EQ(allocations.load() - before, 0);
  EXPECT_EQ(again, expected);
}

// An answer bigger than the buffer a thread keeps gets one of its own, each
// time, and arrives whole.
TEST_F(AnswerBufferTest, AnAnswerBiggerThanTheKeptBufferGetsItsOwn) {
  Create(40000);  // About 360 KiB.
  const std::string big = Expected(40000);
  ASSERT_GT(big.size(), 256u * 1024);
  EXPECT_EQ(Route(), big);
  EXPECT_EQ(Route(), big);
}

}  // namespace
}  // namespace escalation::sdk
