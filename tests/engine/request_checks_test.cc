// The request checks, worked out once per message type, must say exactly what
// a plain reflection walk over every set field says: the same first field,
// the same path, the same words. The walk below is that reference; random
// requests (valid and not) go through both.
#include "server/engine/request_checks.h"

#include <random>
#include <vector>

#include "absl/strings/str_cat.h"
#include "escalation/v1/service.pb.h"
#include "gtest/gtest.h"

namespace escalation::host {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// The reference: ListFields at every level, in field-number order.
absl::Status Walk(const Message& m, const std::string& path) {
  const std::string& type = m.GetDescriptor()->full_name();
  const auto* r = m.GetReflection();
  if (type == "google.protobuf.Timestamp" || type == "google.protobuf.Duration") {
    const int64_t s = r->GetInt64(m, m.GetDescriptor()->FindFieldByName("seconds"));
    const int32_t n = r->GetInt32(m, m.GetDescriptor()->FindFieldByName("nanos"));
    const auto bad = [&](absl::string_view what) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", what));
    };
    if (type == "google.protobuf.Timestamp") {
      const bool ok = s >= -62135596800 && s <= 253402300799 && n >= 0 && n <= 999999999;
      return ok ? absl::OkStatus()
                : bad("malformed timestamp (outside 0001-01-01..9999-12-31 or nanos "
                      "outside 0..999999999)");
    }
    const bool well_formed = s >= -315576000000 && s <= 315576000000 &&
                             n >= -999999999 && n <= 999999999 &&
                             !(s > 0 && n < 0) && !(s < 0 && n > 0);
    if (!well_formed) return bad("malformed duration");
    return (s < 0 || n < 0) ? bad("must not be negative") : absl::OkStatus();
  }
  if (type == "google.protobuf.Struct") return absl::OkStatus();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const int count = f->is_repeated() ? r->FieldSize(m, f) : 1;
    for (int i = 0; i < count; ++i) {
      std::string at = path.empty() ? f->name() : absl::StrCat(path, ".", f->name());
      if (f->is_repeated()) absl::StrAppend(&at, "[", i, "]");
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
        const int v = f->is_repeated() ? r->GetRepeatedEnumValue(m, f, i)
                                       : r->GetEnumValue(m, f);
        if (f->enum_type()->FindValueByNumber(v) == nullptr) {
          return absl::InvalidArgumentError(
              absl::StrCat(at, ": unknown ", f->enum_type()->name(), " value ", v));
        }
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const Message& child =
            f->is_repeated() ? r->GetRepeatedMessage(m, f, i) : r->GetMessage(m, f);
        if (absl::Status s = Walk(child, at); !s.ok()) return s;
      }
    }
  }
  return absl::OkStatus();
}

// Sets a random selection of `m`'s fields: enums known and unknown, times in
// and out of range, nested messages to `depth`.
void Fill(std::mt19937* rng, int depth, Message* m) {
  const auto* d = m->GetDescriptor();
  const auto* r = m->GetReflection();
  auto pick = [&](auto... choices) {
    const std::vector<int64_t> options{choices...};
    return options[(*rng)() % options.size()];
  };
  auto chance = [&](int percent) { return static_cast<int>((*rng)() % 100) < percent; };
  if (d->full_name() == "google.protobuf.Timestamp" ||
      d->full_name() == "google.protobuf.Duration") {
    r->SetInt64(m, d->FindFieldByName("seconds"),
                pick(0, 1, 240, -1, 1795446000, -62135596801, 253402300800,
                     315576000001, -315576000001));
    r->SetInt32(m, d->FindFieldByName("nanos"), pick(0, 5, -5, 999999999, 1000000000));
    return;
  }
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (!chance(40)) continue;
    const int count = f->is_repeated() ? 1 + (*rng)() % 4 : 1;
    for (int k = 0; k < count; ++k) {
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_ENUM) {
        const int v = chance(85) ? f->enum_type()->value((*rng)() % f->enum_type()->value_count())
                                       ->number()
                                 : static_cast<int>(pick(999, -3, 42));
        f->is_repeated() ? r->AddEnumValue(m, f, v) : r->SetEnumValue(m, f, v);
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth > 0 &&
                 f->message_type()->full_name() != "google.protobuf.Struct") {
        Fill(rng, depth - 1, f->is_repeated() ? r->AddMessage(m, f) : r->MutableMessage(m, f));
      } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_BOOL && !f->is_repeated()) {
        r->SetBool(m, f, chance(50));
      }
    }
  }
}

template <typename Request>
void ExpectSameAsTheWalk(int seed) {
  std::mt19937 rng(seed);
  int refused = 0;
  for (int i = 0; i < 3000; ++i) {
    Request request;
    Fill(&rng, 4, &request);
    const absl::Status expected = Walk(request, "");
    EXPECT_EQ(CheckWellFormed(request), expected) << request.DebugString();
    refused += !expected.ok();
  }
  // Both kinds of request occurred: the comparison was not all OKs.
  EXPECT_GT(refused, 300);
  EXPECT_LT(refused, 2700);
}

TEST(RequestChecksTest, RouteRequestsAsTheReflectionWalk) {
  ExpectSameAsTheWalk<v1::RouteRequest>(11);
}

TEST(RequestChecksTest, ValidateTaskRequestsAsTheReflectionWalk) {
  ExpectSameAsTheWalk<v1::ValidateTaskRequest>(12);
}

TEST(RequestChecksTest, NamesTheFirstBadFieldByNumber) {
  v1::RouteRequest request;
  request.mutable_call()->add_reasons(v1::CANCEL_CONTRACT);
  request.mutable_call()->add_reasons(static_cast<v1::Reason>(999));
  request.mutable_call()->add_threats(static_cast<v1::Threat>(42));
  EXPECT_EQ(CheckWellFormed(request),
            absl::InvalidArgumentError("call.reasons[1]: unknown Reason value 999"));
  request.mutable_evaluation_time()->set_nanos(-1);
  EXPECT_EQ(CheckWellFormed(request),
            absl::InvalidArgumentError("call.reasons[1]: unknown Reason value 999"));
  request.mutable_call()->mutable_reasons()->RemoveLast();
  EXPECT_EQ(CheckWellFormed(request),
            absl::InvalidArgumentError("call.threats[0]: unknown Threat value 42"));
}

}  // namespace
}  // namespace escalation::host
