#include "tests/support/grpc_probes.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/dynamic_message.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "server/services/status_conversion.h"

namespace escalation::test {
namespace {

using google::protobuf::DescriptorPool;
using google::protobuf::DynamicMessageFactory;
using google::protobuf::Message;

std::string ToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  (void)buffer.Dump(&slices);
  std::string out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

void* Tag(int i) { return reinterpret_cast<void*>(static_cast<intptr_t>(i)); }

}  // namespace

absl::StatusOr<std::string> CallRaw(const std::shared_ptr<grpc::Channel>& channel,
                                    const std::string& method, const std::string& request) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::CompletionQueue cq;
  grpc::ByteBuffer response;
  grpc::Status status;
  auto call = stub.PrepareUnaryCall(&context, method, ToBuffer(request), &cq);
  call->StartCall();
  call->Finish(&response, &status, Tag(1));
  void* tag;
  bool ok;
  cq.Next(&tag, &ok);
  if (!status.ok()) return services::FromGrpcStatus(status);
  return ToString(response);
}

absl::StatusOr<int> HealthCheck(const std::shared_ptr<grpc::Channel>& channel,
                                const std::string& service) {
  // HealthCheckRequest { string service = 1; }
  std::string request;
  if (!service.empty()) {
    request.push_back(0x0a);
    request.push_back(static_cast<char>(service.size()));
    request += service;
  }
  absl::StatusOr<std::string> bytes =
      CallRaw(channel, "/grpc.health.v1.Health/Check", request);
  if (!bytes.ok()) return bytes.status();
  // HealthCheckResponse { ServingStatus status = 1; }: 0x08 <varint>, or empty.
  if (bytes->empty()) return 0;
  if (bytes->size() != 2 || (*bytes)[0] != 0x08) {
    return absl::InternalError("unexpected health response");
  }
  return static_cast<int>((*bytes)[1]);
}

absl::StatusOr<std::vector<std::string>> ReflectedServices(
    const std::shared_ptr<grpc::Channel>& channel) {
  const DescriptorPool* pool = DescriptorPool::generated_pool();
  const auto* request_type =
      pool->FindMessageTypeByName("grpc.reflection.v1alpha.ServerReflectionRequest");
  const auto* response_type =
      pool->FindMessageTypeByName("grpc.reflection.v1alpha.ServerReflectionResponse");
  if (request_type == nullptr || response_type == nullptr) {
    return absl::InternalError("reflection messages are not in the generated pool");
  }
  DynamicMessageFactory factory(pool);
  std::unique_ptr<Message> request(factory.GetPrototype(request_type)->New());
  request->GetReflection()->SetString(
      request.get(), request_type->FindFieldByName("list_services"), "");

  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  grpc::CompletionQueue cq;
  auto stream = stub.PrepareCall(
      &context, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  void* tag;
  bool ok;
  grpc::ByteBuffer reply;
  grpc::Status status;
  stream->StartCall(Tag(1));
  cq.Next(&tag, &ok);
  stream->Write(ToBuffer(request->SerializeAsString()), Tag(2));
  cq.Next(&tag, &ok);
  stream->WritesDone(Tag(3));
  cq.Next(&tag, &ok);
  stream->Read(&reply, Tag(4));
  cq.Next(&tag, &ok);
  const bool read_ok = ok;
  stream->Finish(&status, Tag(5));
  cq.Next(&tag, &ok);
  if (!status.ok()) return services::FromGrpcStatus(status);
  if (!read_ok) return absl::InternalError("reflection sent no response");

  std::unique_ptr<Message> response(factory.GetPrototype(response_type)->New());
  if (!response->ParseFromString(ToString(reply))) {
    return absl::InternalError("reflection response does not parse");
  }
  const auto* list_field = response_type->FindFieldByName("list_services_response");
  const Message& list = response->GetReflection()->GetMessage(*response, list_field);
  const auto* service_field = list.GetDescriptor()->FindFieldByName("service");
  std::vector<std::string> names;
  for (int i = 0; i < list.GetReflection()->FieldSize(list, service_field); ++i) {
    const Message& service = list.GetReflection()->GetRepeatedMessage(list, service_field, i);
    names.push_back(service.GetReflection()->GetString(
        service, service.GetDescriptor()->FindFieldByName("name")));
  }
  return names;
}

}  // namespace escalation::test
