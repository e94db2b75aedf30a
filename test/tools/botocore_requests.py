"""Prints, as JSON lines, the HTTP request botocore sends for every operation of
the given services, with the required members filled with placeholder values.
Used by the routing test: botocore is the reference serializer of every protocol.

usage: python3 botocore_requests.py <endpoint> <service> [<service> ...]
"""
import base64
import json
import sys

import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

ENDPOINT = sys.argv[1]
SERVICES = sys.argv[2:]
CREDENTIALS = Credentials("test", "test")


def placeholder(shape, depth=0):
    """A value of the shape's type, just enough for the serializer."""
    t = shape.type_name
    if t == "structure":
        out = {}
        if depth > 4:
            return out
        for name in shape.required_members:
            out[name] = placeholder(shape.members[name], depth + 1)
        if getattr(shape, "is_tagged_union", False) and not out and shape.members:
            first = next(iter(shape.members))
            out[first] = placeholder(shape.members[first], depth + 1)
        return out
    if t == "list":
        return [] if depth > 4 else [placeholder(shape.member, depth + 1)]
    if t == "map":
        return {}
    if t == "string":
        if shape.enum:
            return shape.enum[0]
        return "x" * max(1, shape.metadata.get("min", 1))
    if t in ("integer", "long", "short", "byte"):
        return max(1, shape.metadata.get("min", 1))
    if t in ("float", "double"):
        return 1.5
    if t == "boolean":
        return True
    if t == "timestamp":
        return 1700000000
    if t == "blob":
        return b"x"
    return "x"


def main():
    session = botocore.session.get_session()
    for service in SERVICES:
        client = session.create_client(
            service,
            region_name="us-east-1",
            endpoint_url=ENDPOINT,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=Config(s3={"addressing_style": "path"}, parameter_validation=False),
        )
        model = client.meta.service_model
        signing_name = model.signing_name
        for op_name in model.operation_names:
            op = model.operation_model(op_name)
            params = placeholder(op.input_shape) if op.input_shape is not None else {}
            try:
                request_dict = client._serializer.serialize_to_request(params, op)
            except Exception as error:  # noqa: BLE001 - report and go on
                print(json.dumps({"service": service, "operation": op_name, "skip": str(error)}))
                continue
            url = ENDPOINT.rstrip("/") + request_dict["url_path"]
            if request_dict.get("query_string"):
                qs = request_dict["query_string"]
                if isinstance(qs, dict):
                    from urllib.parse import urlencode
                    qs = urlencode(qs, doseq=True)
                if qs:
                    url += ("&" if "?" in url else "?") + qs
            body = request_dict["body"]
            if isinstance(body, dict):
                from urllib.parse import urlencode
                body = urlencode(body, doseq=True)
            if isinstance(body, str):
                body = body.encode("utf-8")
            if body is None or not isinstance(body, (bytes, bytearray)):
                body = b""
            request = AWSRequest(method=request_dict["method"], url=url, data=body, headers=dict(request_dict["headers"]))
            SigV4Auth(CREDENTIALS, signing_name, "us-east-1").add_auth(request)
            print(json.dumps({
                "service": service,
                "operation": op_name,
                "method": request.method,
                "url": request.url,
                "headers": {k: v for k, v in request.headers.items()},
                "body": base64.b64encode(bytes(body)).decode("ascii"),
            }))


main()
