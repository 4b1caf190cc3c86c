#!/usr/bin/python3
"""A client no one here wrote: Python's grpcio, with messages generated from
the .proto files alone. Calls ListPlugins, Route and ValidateTask against a
running server (ctest starts one with with_server.sh).

usage: external_client.py HOST:PORT PROTO_ROOT
"""
import os
import subprocess
import sys
import tempfile

import grpc


def generate_modules(proto_root, out_dir):
    protos = [os.path.join("escalation/v1", f)
              for f in sorted(os.listdir(os.path.join(proto_root, "escalation/v1")))]
    subprocess.run(["protoc", f"-I{proto_root}", "-I/usr/include",
                    f"--python_out={out_dir}", *protos], check=True)
    sys.path.insert(0, out_dir)


def unary(channel, method, request, response_type):
    call = channel.unary_unary(method, request_serializer=lambda m: m.SerializeToString(),
                               response_deserializer=response_type.FromString)
    return call(request, timeout=10)


def main():
    address, proto_root = sys.argv[1:3]
    with tempfile.TemporaryDirectory() as out_dir:
        generate_modules(proto_root, out_dir)
        from escalation.v1 import call_pb2, service_pb2, task_pb2

        with grpc.insecure_channel(address) as channel:
            listed = unary(channel, "/escalation.v1.PluginService/ListPlugins",
                           service_pb2.ListPluginsRequest(), service_pb2.ListPluginsResponse)
            names = [p.manifest.name for p in listed.plugins]
            assert names, "no plugins listed"
            print("plugins:", ", ".join(names))

            request = service_pb2.RouteRequest()
            request.call.department = call_pb2.CUSTOMER_SERVICE
            request.call.reasons.append(call_pb2.CANCEL_CONTRACT)
            request.evaluation_time.FromJsonString("2026-11-23T15:00:00Z")
            routed = unary(channel, "/escalation.v1.RoutingService/Route", request,
                           service_pb2.RouteResponse)
            assert routed.evaluation_time.ToJsonString() == "2026-11-23T15:00:00Z"
            assert routed.decision.matched_rules, "no rule explained the decision"
            print("route:", routed.decision.summary or routed.decision.action)

            bad = service_pb2.RouteRequest()
            try:
                unary(channel, "/escalation.v1.RoutingService/Route", bad,
                      service_pb2.RouteResponse)
                raise SystemExit("a call without a department was accepted")
            except grpc.RpcError as error:
                assert error.code() == grpc.StatusCode.INVALID_ARGUMENT, error
                assert "call.department" in error.details(), error.details()

            task = service_pb2.ValidateTaskRequest()
            task.task.kind = task_pb2.T2_TASK
            validated = unary(channel, "/escalation.v1.TaskValidationService/ValidateTask",
                              task, service_pb2.ValidateTaskResponse)
            print("validate: valid =", validated.valid,
                  "violations =", len(validated.violations))
    print("external client: ok")


if __name__ == "__main__":
    main()
