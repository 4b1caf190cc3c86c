#include "tools/bench/pairs_file.h"

#include <cstdint>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"

namespace escalation::bench {
namespace {

void Put(const std::string& bytes, std::string* out) {
  const uint32_t size = static_cast<uint32_t>(bytes.size());
  for (int shift = 0; shift < 32; shift += 8) out->push_back(char((size >> shift) & 0xff));
  out->append(bytes);
}

bool Take(absl::string_view* in, std::string* bytes) {
  if (in->size() < 4) return false;
  uint32_t size = 0;
  for (int i = 0; i < 4; ++i) size |= uint32_t(uint8_t((*in)[i])) << (8 * i);
  in->remove_prefix(4);
  if (in->size() < size) return false;
  bytes->assign(in->data(), size);
  in->remove_prefix(size);
  return true;
}

}  // namespace

absl::Status WritePairs(const std::string& path, const BytePairs& pairs) {
  std::string data;
  for (const auto& [request, response] : pairs) {
    Put(request, &data);
    Put(response, &data);
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
  if (!out.flush()) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  return absl::OkStatus();
}

absl::StatusOr<BytePairs> ReadPairs(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read --responses file ", path));
  std::stringstream text;
  text << in.rdbuf();
  const std::string data = text.str();
  absl::string_view rest(data);
  BytePairs pairs;
  while (!rest.empty()) {
    std::pair<std::string, std::string> pair;
    if (!Take(&rest, &pair.first) || !Take(&rest, &pair.second)) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ": truncated after ", pairs.size(), " (request, response) pairs"));
    }
    pairs.push_back(std::move(pair));
  }
  if (pairs.empty()) return absl::InvalidArgumentError(absl::StrCat(path, ": no pairs"));
  return pairs;
}

}  // namespace escalation::bench
