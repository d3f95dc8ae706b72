#!/usr/bin/env python3
"""Writes the committed seed corpus of every fuzz target (fuzz/seeds/<target>/). Deterministic; stdlib only.

Input layouts (see each target's header): tf_msgpack/tf_json = [type selector] + payload, where selector 0 is
the provider schema and the last selectors are dynamic, list(dynamic) and a nested synthetic type (indexes
between depend on how many resources/data sources the provider registers, so seeds use 0 and 255 - k);
tf_rpc = [op, type, version] + payload; emulator_request = [op] + body/query/target; signing_verify takes
`arbitrary` bytes, seeded with random-looking blobs.
"""
import json
import os
import random
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def mp(v):
    """A minimal msgpack encoder: what cty's wire format uses."""
    if v is None:
        return b"\xc0"
    if v is True:
        return b"\xc3"
    if v is False:
        return b"\xc2"
    if isinstance(v, Unknown):
        return b"\xd4\x00\x00"
    if isinstance(v, int):
        if 0 <= v < 128:
            return bytes([v])
        if -32 <= v < 0:
            return struct.pack("b", v)
        return b"\xd3" + struct.pack(">q", v)
    if isinstance(v, float):
        return b"\xcb" + struct.pack(">d", v)
    if isinstance(v, str):
        b = v.encode()
        if len(b) < 32:
            return bytes([0xA0 | len(b)]) + b
        return b"\xd9" + bytes([len(b)]) + b if len(b) < 256 else b"\xda" + struct.pack(">H", len(b)) + b
    if isinstance(v, bytes):
        return b"\xc4" + bytes([len(v)]) + v
    if isinstance(v, list):
        head = bytes([0x90 | len(v)]) if len(v) < 16 else b"\xdc" + struct.pack(">H", len(v))
        return head + b"".join(mp(x) for x in v)
    if isinstance(v, dict):
        head = bytes([0x80 | len(v)]) if len(v) < 16 else b"\xde" + struct.pack(">H", len(v))
        return head + b"".join(mp(k) + mp(x) for k, x in v.items())
    raise TypeError(v)


class Unknown:
    pass


def dyn(type_json, value):
    return [json.dumps(type_json, separators=(",", ":")).encode(), value]


PROVIDER = {
    "region": "cn-north-4",
    "project_id": "0123456789abcdef0123456789abcdef",
    "access_key": "AK",
    "secret_key": "SK",
    "endpoints": {"modelarts": "http://127.0.0.1:1"},
    "insecure": False,
    "max_retries": 3,
    "enable_force_new": None,
    "security_token": Unknown(),
}

NOTEBOOK = {
    "name": "nb-1",
    "description": "demo",
    "flavor": "modelarts.vm.cpu.2u",
    "image_id": "e1a07296-22a8-4f05-8bc8-e936c8e54099",
    "desired_state": "RUNNING",
    "volume": [{"category": "EVS", "ownership": "MANAGED", "size": 5}],
    "endpoint": [{"service": "SSH", "key_pair_names": ["kp"], "allowed_access_ips": ["10.0.0.1"]}],
    "affinity": [{"required": [{"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]}]}],
    "timeouts": {"create": "30m"},
}

NESTED = {"s": [{"n": 1, "d": dyn("string", "x"), "b": True}], "m": {"k": ["a", "b"]}, "t": ["s", 2.5, ["z"]]}


def write(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def main():
    rng = random.Random(20240601)
    # tf_msgpack: selector 0 = provider; 255 hits the synthetic types for most type counts.
    write("tf_msgpack", "provider", b"\x00" + mp(PROVIDER))
    write("tf_msgpack", "provider-null", b"\x00" + mp(None))
    write("tf_msgpack", "unknown", b"\x00" + mp(Unknown()))
    for sel in range(1, 12):
        write("tf_msgpack", f"notebook-{sel}", bytes([sel]) + mp(NOTEBOOK))
        write("tf_msgpack", f"nested-{sel}", bytes([sel]) + mp(NESTED))
        write("tf_msgpack", f"dynamic-{sel}", bytes([sel]) + mp(dyn(["list", "number"], [1, -5, 2**40, 0.5])))
    write("tf_msgpack", "dynamic-object", b"\xff" + mp(dyn(["object", {"a": "string", "b": ["set", "bool"]}], {"a": "x", "b": [True]})))
    write("tf_msgpack", "number-string", b"\xff" + mp(dyn("number", "123456789012345678901234567890.5")))
    # tf_json: the same shapes as JSON (stored state); dynamic as {"value":..., "type":...}.
    write("tf_json", "provider", b"\x00" + json.dumps({k: v for k, v in PROVIDER.items() if not isinstance(v, Unknown)}).encode())
    for sel in range(1, 12):
        write("tf_json", f"notebook-{sel}", bytes([sel]) + json.dumps(NOTEBOOK).encode())
        write("tf_json", f"nested-{sel}", bytes([sel]) + json.dumps(
            {"s": [{"n": 1, "d": {"value": "x", "type": "string"}, "b": True}], "m": {"k": ["a"]}, "t": ["s", 2.5, ["z"]]}).encode())
    write("tf_json", "type-json", b"\x00" + b'["object",{"a":["list","string"],"b":["tuple",["number","dynamic"]]}]')
    write("tf_json", "big-number", b"\xff" + b'{"value": 1e400, "type": "number"}')
    # tf_rpc: [op, type, version] + payload.
    state = dict(NOTEBOOK, id="6f1c0000-0000-4000-8000-000000000001", status="RUNNING", unknown_attr=1)
    for t in range(3):
        write("tf_rpc", f"upgrade-{t}", bytes([0, t, 0]) + json.dumps(state).encode())
        write("tf_rpc", f"upgrade-old-{t}", bytes([0, t, 0xFF]) + json.dumps(state).encode())
        write("tf_rpc", f"upgrade-newer-{t}", bytes([0, t, 5]) + b"{}")
        write("tf_rpc", f"validate-{t}", bytes([1, t, 0]) + mp(NOTEBOOK))
        write("tf_rpc", f"datasource-{t}", bytes([3, t, 0]) + mp({"id": "x", "name": "nb"}))
        for op in (4, 5, 6):
            write("tf_rpc", f"gen-{op}-{t}", bytes([op, t, 0]) + bytes(rng.getrandbits(8) for _ in range(256)))
    write("tf_rpc", "prepare", bytes([2, 0, 0]) + mp(PROVIDER))
    # emulator_request: [op] + body / query / target.
    image = "e1a07296-22a8-4f05-8bc8-e936c8e54099"
    for i, (op, body) in enumerate([
        (0, {"name": "renamed", "description": "d", "storage_new_size": 10}),
        (0, {"flavor": "modelarts.vm.cpu.4u"}),
        (0, {"custom_spec": {"cpu": 2, "memory": 4096, "gpu": 0}}),
        (0, {"affinity": {"required_during_scheduling_ignored_during_execution": [
            {"key": "kubernetes.io/os", "operator": "In", "values": ["linux"]}]}}),
        (0, {"endpoints": [{"service": "SSH", "key_pair_names": ["k"], "allowed_access_ips": ["1.2.3.4"]}]}),
        (0, {"hooks": {"container_hooks": {"post_start": {"script": "/home/ma-user/x.sh", "type": "SCRIPT"}}}}),
        (1, {"name": "hot", "storage_new_size": 8}),
        (2, {"name": "n", "image_id": image, "flavor": "modelarts.vm.cpu.2u",
             "volume": {"category": "EVS", "ownership": "MANAGED", "capacity": 5}}),
        (2, {"name": "efs", "image_id": image, "volume": {"category": "EFS", "ownership": "DEDICATED",
             "uri": "192.168.0.1:/x", "id": "efs-1"}, "pool_id": "pool-cpu-7c2d9e41",
             "custom_spec": {"cpu": 1, "memory": 1024}}),
        (5, {"duration": 3600000, "type": "TIMING"}),
    ]):
        write("emulator_request", f"op{op}-{i}", bytes([op]) + json.dumps(body).encode())
    write("emulator_request", "update-bad-json", b"\x00{bad")
    write("emulator_request", "update-wrong-type", b"\x00" + b'{"storage_new_size":"big"}')
    write("emulator_request", "list", b"\x03limit=20&offset=0&sort_key=name&sort_dir=ASC&name=a")
    write("emulator_request", "start", b"\x04duration=3600000&type=IDLE")
    write("emulator_request", "images", b"\x06limit=10&name=py")
    write("emulator_request", "raw", b"\x07\x00/v1/0123456789abcdef0123456789abcdef/notebooks/flavors?limit=5")
    # signing_verify: arbitrary-encoded; random blobs of a few sizes are enough to start.
    for i, n in enumerate([64, 200, 600, 1500]):
        write("signing_verify", f"blob-{i}", bytes(rng.getrandbits(8) for _ in range(n)))
    write("signing_verify", "auth", b"SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=00ff" * 2)


if __name__ == "__main__":
    main()
