#include "tests/ops/http_get.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <regex>

#include "absl/strings/str_cat.h"

namespace escalation::test {

absl::StatusOr<HttpResponse> HttpGet(int port, const std::string& path) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return absl::UnavailableError(absl::StrCat("cannot connect to 127.0.0.1:", port));
  }
  const std::string request =
      absl::StrCat("GET ", path, " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");
  if (write(fd, request.data(), request.size()) != static_cast<ssize_t>(request.size())) {
    close(fd);
    return absl::InternalError("write failed");
  }
  std::string raw;
  char buffer[8192];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof(buffer))) > 0) raw.append(buffer, static_cast<size_t>(n));
  close(fd);
  const size_t end_of_headers = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/", 0) != 0 || end_of_headers == std::string::npos) {
    return absl::InternalError("not an HTTP response: " + raw.substr(0, 200));
  }
  HttpResponse response;
  response.status = std::atoi(raw.c_str() + raw.find(' ') + 1);
  response.headers = raw.substr(0, end_of_headers);
  response.body = raw.substr(end_of_headers + 4);
  return response;
}

double MetricSample(const std::string& scrape, const std::string& series) {
  const std::string escaped =
      std::regex_replace(series, std::regex(R"([{}\[\]().+*?^$|\\])"), R"(\$&)");
  const std::regex line("(^|\n)" + escaped + " ([0-9.e+-]+)");
  std::smatch match;
  if (!std::regex_search(scrape, match, line)) return -1;
  return std::stod(match[2]);
}

}  // namespace escalation::test
