// Reads protobuf wire bytes field by field, without a schema or a message:
// the host's way of looking into plugin answers it need not build. Tags,
// wire types and sizes are protobuf's internal::WireFormatLite's, and what
// is written, io::CodedOutputStream's. The reading loop is its own: over
// protobuf's io::CodedInputStream the heaviest decision took 23 % more
// instructions (docs/PERFORMANCE.md, One wire).
#ifndef ESCALATION_SERVER_WIRE_WIRE_READER_H_
#define ESCALATION_SERVER_WIRE_WIRE_READER_H_

#include <cstdint>
#include <string>

#include "absl/base/attributes.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/io/coded_stream.h"  // CodedOutputStream
#include "google/protobuf/wire_format_lite.h"

namespace escalation::host::wire {

using WireFormatLite = google::protobuf::internal::WireFormatLite;

enum WireType : uint32_t {
  kVarint = WireFormatLite::WIRETYPE_VARINT,
  kFixed64 = WireFormatLite::WIRETYPE_FIXED64,
  kLength = WireFormatLite::WIRETYPE_LENGTH_DELIMITED,
  kFixed32 = WireFormatLite::WIRETYPE_FIXED32,
};

struct Field {
  uint32_t number = 0;
  uint32_t type = 0;
  uint64_t varint = 0;      // For kVarint.
  absl::string_view bytes;  // For kLength.
  absl::string_view raw;    // The whole field: tag and value.
};

// The fields of one message's wire bytes, in order.
class FieldReader {
 public:
  explicit FieldReader(absl::string_view bytes) : at_(bytes.data()), end_(at_ + bytes.size()) {}

  // The next field; false at the end, and when the bytes are broken (then
  // broken() says so). Groups (wire types 3 and 4) count as broken.
  // Inlined: the host reads hundreds of fields a decision. Protobuf's
  // CodedInputStream is not used here: measured slower (see above).
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool Next(Field* field) {
    if (at_ == end_) return false;
    const char* start = at_;
    if (!Read(field)) return false;
    field->raw = absl::string_view(start, at_ - start);
    return true;
  }

  bool broken() const { return broken_; }

 private:
  ABSL_ATTRIBUTE_ALWAYS_INLINE bool Read(Field* field) {
    uint64_t value = 0;
    // A tag is 32 bits, as protobuf reads it; field number 0 is no field.
    if (!Varint(&value) || value > UINT32_MAX) return Broke();
    const auto tag = static_cast<uint32_t>(value);
    field->number = static_cast<uint32_t>(WireFormatLite::GetTagFieldNumber(tag));
    field->type = WireFormatLite::GetTagWireType(tag);
    if (field->number == 0) return Broke();
    switch (field->type) {
      case kVarint:
        return Varint(&field->varint) || Broke();
      case kFixed64:
        return Skip(8) || Broke();
      case kFixed32:
        return Skip(4) || Broke();
      case kLength: {
        uint64_t size = 0;
        if (!Varint(&size) || size > static_cast<uint64_t>(end_ - at_) || size > INT32_MAX) {
          return Broke();
        }
        field->bytes = absl::string_view(at_, size);
        at_ += size;
        return true;
      }
      default:
        return Broke();
    }
  }

  bool Varint(uint64_t* value) {
    // Most tags, lengths and enum values fit in one byte.
    if (at_ != end_ && static_cast<uint8_t>(*at_) < 0x80) {
      *value = static_cast<uint8_t>(*at_++);
      return true;
    }
    *value = 0;
    for (int shift = 0; shift < 64 && at_ != end_; shift += 7) {
      const auto byte = static_cast<uint8_t>(*at_++);
      *value |= static_cast<uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return true;
    }
    return false;
  }
  bool Skip(size_t n) {
    if (static_cast<size_t>(end_ - at_) < n) return false;
    at_ += n;
    return true;
  }
  bool Broke() {
    broken_ = true;
    return false;
  }

  const char* at_;
  const char* end_;
  bool broken_ = false;
};

// An enum field's value as protobuf keeps it: the low 32 bits, as int32.
inline int32_t EnumValue(uint64_t varint) {
  return static_cast<int32_t>(static_cast<uint32_t>(varint));
}

// Calls `each(value)` for every length-delimited field `number` in `message`.
template <typename Each>
void ForEachLength(absl::string_view message, uint32_t number, Each each) {
  FieldReader fields(message);
  for (Field f; fields.Next(&f);) {
    if (f.number == number && f.type == kLength) each(f.bytes);
  }
}

// The last value given for the length-delimited field `number` ("" when
// none): a string field's value, as protobuf reads it.
inline absl::string_view Last(absl::string_view message, uint32_t number) {
  absl::string_view value;
  ForEachLength(message, number, [&](absl::string_view given) { value = given; });
  return value;
}

// How many bytes a length-delimited field `number` of `size` bytes takes.
inline size_t LengthFieldSize(uint32_t number, size_t size) {
  return WireFormatLite::TagSize(static_cast<int>(number), WireFormatLite::TYPE_BYTES) +
         WireFormatLite::LengthDelimitedSize(size);
}

// Appends a varint / a tag (field number and wire type).
inline void AppendVarint(uint64_t value, std::string* out) {
  uint8_t bytes[10];
  const uint8_t* end = google::protobuf::io::CodedOutputStream::WriteVarint64ToArray(value, bytes);
  out->append(reinterpret_cast<const char*>(bytes), static_cast<size_t>(end - bytes));
}
inline void AppendTag(uint32_t number, WireType type, std::string* out) {
  AppendVarint(WireFormatLite::MakeTag(static_cast<int>(number),
                                       static_cast<WireFormatLite::WireType>(type)),
               out);
}
// Writes the tag and size of a length-delimited field `number` of `size`
// bytes at `out` (room for LengthFieldSize less `size`); returns the end.
inline char* WriteLengthHeader(uint32_t number, size_t size, char* out) {
  using google::protobuf::io::CodedOutputStream;
  auto* at = reinterpret_cast<uint8_t*>(out);
  at = CodedOutputStream::WriteVarint32ToArray(
      WireFormatLite::MakeTag(static_cast<int>(number), WireFormatLite::WIRETYPE_LENGTH_DELIMITED),
      at);
  return reinterpret_cast<char*>(CodedOutputStream::WriteVarint64ToArray(size, at));
}
// Appends a length-delimited field holding `bytes`.
inline void AppendLength(uint32_t number, absl::string_view bytes, std::string* out) {
  AppendTag(number, kLength, out);
  AppendVarint(bytes.size(), out);
  out->append(bytes.data(), bytes.size());
}

}  // namespace escalation::host::wire

#endif  // ESCALATION_SERVER_WIRE_WIRE_READER_H_
