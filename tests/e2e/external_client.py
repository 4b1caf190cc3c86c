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


def check_declared_edits(channel, listed, service_pb2, call_pb2):
    """Every edit of another plugin's output is listed with the rule making it and
    the rule (and script) it removes, and the answers carry out exactly that."""
    rules = {p.manifest.name: {r.id for r in p.manifest.rules} for p in listed.plugins}
    edits = [(p.manifest.name, e) for p in listed.plugins for e in p.manifest.output_edits]
    desk = [(e.rule_id, e.removes_rule_id, e.removes_script_id)
            for name, e in edits if name == "leadership_desk"]
    disclosure = ("cs.transfer.recording_disclosure", "recording_disclosure")
    assert desk == [("ld.queue.over_3_minutes", *disclosure),
                    ("ld.queue.callback_refused", *disclosure)], desk
    for name, edit in edits:
        assert edit.rule_id in rules[name], (name, edit)
        assert any(edit.removes_rule_id in ids for other, ids in rules.items()
                   if other != name), (name, edit)

    def route(wait, refused):
        request = service_pb2.RouteRequest()
        request.call.department = call_pb2.CUSTOMER_SERVICE
        request.call.site = "tampa"
        request.call.reasons.append(call_pb2.SERVICE_PROVIDER_DELAY)
        request.call.de_escalation_failed = True
        request.call.live_transfer_queue_wait.FromJsonString(wait)
        if refused:
            request.call.supervisor_permissions_refused.append(
                call_pb2.PERMISSION_LEADERSHIP_DESK_CALLBACK_REQUEST)
        request.evaluation_time.FromJsonString("2026-11-23T15:00:00Z")
        decision = unary(channel, "/escalation.v1.RoutingService/Route", request,
                         service_pb2.RouteResponse).decision
        return ({m.rule_id for m in decision.matched_rules},
                {(s.rule_id, s.id) for s in decision.scripts})

    matched, scripts = route("180s", False)
    assert disclosure[0] in matched and disclosure in scripts, (matched, scripts)
    for refused, rule in ((False, "ld.queue.over_3_minutes"),
                          (True, "ld.queue.callback_refused")):
        matched, scripts = route("181s", refused)
        assert rule in matched and disclosure[0] not in matched, matched
        assert disclosure not in scripts, scripts
    print("declared edits:", len(edits))


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
            check_declared_edits(channel, listed, service_pb2, call_pb2)

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
