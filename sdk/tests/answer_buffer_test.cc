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
#include <utility>
#include <vector>

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

// Answers `proposals` (at most 3) proposals, whatever it is asked; with
// `texts`, each holds steps and a note too long for a string's own room (a
// heap buffer each, on an arena), the first proposal the most.
class ProposingPlugin : public Plugin {
 public:
  ProposingPlugin(int proposals, bool texts) : proposals_(proposals), texts_(texts) {
    RoutesFor(v1::CUSTOMER_SERVICE);
  }
  absl::Status Route(const v1::PluginRouteRequest&,
                     v1::PluginRouteResponse* response) const override {
    for (int i = 0; i < proposals_; ++i) {
      v1::Proposal* p = response->add_proposals();
      p->set_priority(v1::TIER2_SITUATION);
      p->mutable_decision()->set_action(v1::TRANSFER);
      p->mutable_decision()->set_destination(v1::Decision::TIER2);
      if (!texts_) continue;
      for (int step = 0; step < proposals_ - i; ++step) {
        v1::Step* s = p->mutable_decision()->add_steps();
        s->set_text(step_texts_[step]);
        s->set_rule_id(rule_id_);
      }
      *p->mutable_decision()->add_notes() = note_;
    }
    return absl::OkStatus();
  }

 private:
  const int proposals_;
  const bool texts_;
  // Made once, so that only the answer's own strings could allocate.
  const std::string rule_id_ = "test.proposing.rule_of_each_step";
  const std::string note_ = "A note of each proposal, long enough for a heap buffer.";
  const std::vector<std::string> step_texts_ = {
      "The first step, long enough for a heap buffer.",
      "The second step, longer than the first, also long enough for a heap buffer.",
      "The third step, long enough for a heap buffer."};
};

int proposals_to_make = 1;
bool texts_to_write = false;
std::unique_ptr<Plugin> MakeProposingPlugin() {
  return std::make_unique<ProposingPlugin>(proposals_to_make, texts_to_write);
}

// One plugin instance created through the ABI.
class AnswerBufferTest : public ::testing::Test {
 protected:
  void Create(int proposals, bool texts = false) {
    proposals_to_make = proposals;
    texts_to_write = texts;
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

std::string Expected(int proposals, bool texts = false) {
  v1::PluginRouteResponse response;
  ProposingPlugin(proposals, texts).Route({}, &response).IgnoreError();
  return response.SerializeAsString();
}

// Routes once more after the thread answered: how many allocations that took,
// and the answer in `*answer` (room for it made beforehand).
int64_t AllocationsOfOneMoreRoute(const EscPluginDescriptor& d, EscPluginInstance* instance,
                                  const std::string& request, size_t size,
                                  std::string* answer) {
  answer->reserve(size);
  const int64_t before = allocations.load();
  EscBuffer out{nullptr, 0};
  EXPECT_EQ(d.route(instance, reinterpret_cast<const uint8_t*>(request.data()),
                    request.size(), &out),
            ESC_OK);
  answer->assign(reinterpret_cast<const char*>(out.data), out.size);
  d.release_buffer(&out);
  return allocations.load() - before;
}

TEST_F(AnswerBufferTest, AnsweringOnTheThreadThatAnsweredLastAllocatesNothing) {
  Create(1);
  const std::string expected = Expected(1);
  ASSERT_EQ(Route(), expected);  // The thread's buffer is made.
  std::string again;
  EXPECT_EQ(AllocationsOfOneMoreRoute(d_, instance_, request_, expected.size(), &again), 0);
  EXPECT_EQ(again, expected);
}

// The thread keeps its last answer's proposals, cleared, and their strings'
// room: an answer of long texts, like the last, allocates nothing either.
TEST_F(AnswerBufferTest, AnAnswerOfLongTextsLikeTheLastAllocatesNothing) {
  Create(3, true);
  const std::string expected = Expected(3, true);
  ASSERT_EQ(Route(), expected);
  std::string again;
  EXPECT_EQ(AllocationsOfOneMoreRoute(d_, instance_, request_, expected.size(), &again), 0);
  EXPECT_EQ(again, expected);
}

// What the thread kept holds nothing of the answer it came from: a smaller
// answer, and then none, come out as a fresh response would write them.
TEST_F(AnswerBufferTest, AnAnswerAfterABiggerOneHoldsNothingOfIt) {
  Create(3, true);
  ASSERT_EQ(Route(), Expected(3, true));
  proposals_to_make = 1;
  d_.destroy(std::exchange(instance_, nullptr));
  EscBuffer message{nullptr, 0};
  ASSERT_EQ(d_.create(nullptr, 0, &instance_, &message), ESC_OK);
  EXPECT_EQ(Route(), Expected(1, true));
  proposals_to_make = 0;
  d_.destroy(std::exchange(instance_, nullptr));
  ASSERT_EQ(d_.create(nullptr, 0, &instance_, &message), ESC_OK);
  EXPECT_EQ(Route(), "");
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
