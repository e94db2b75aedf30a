# Terrarium's Python runtime client: speaks AWS's Lambda Runtime API
# (AWS_LAMBDA_RUNTIME_API) the way the AWS python runtimes do. Standard library only.
# Loads the handler named by _HANDLER ("module.function", "pkg/module.function")
# from LAMBDA_TASK_ROOT, then loops: GET /invocation/next, run, POST /response or /error.

import http.client
import importlib
import json
import logging
import os
import resource
import signal
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
TASK_ROOT = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
HANDLER = os.environ.get("_HANDLER", "")
HOST, PORT = API.rsplit(":", 1)

_connection = None


def _call(method, path, body=None, headers=None):
    global _connection
    for attempt in (0, 1):
        if _connection is None:
            _connection = http.client.HTTPConnection(HOST, int(PORT))
        try:
            _connection.request(method, "/2018-06-01/runtime/" + path, body=body, headers=headers or {})
            response = _connection.getresponse()
            return response.status, response.getheaders(), response.read()
        except (http.client.HTTPException, ConnectionError):
            _connection.close()
            _connection = None
            if attempt:
                raise


def _post(path, payload, error_type=None):
    headers = {"Content-Type": "application/json"}
    if error_type:
        headers["Lambda-Runtime-Function-Error-Type"] = error_type
    status, _, body = _call("POST", path, payload.encode("utf-8"), headers)
    if status != 202:
        sys.stderr.write("Failed to post to the Runtime API (%s): %d %s\n" % (path, status, body.decode("utf-8", "replace")))


# ---- logging: "[LEVEL]\t<ISO time>\t<request id>\t<message>", as the AWS python runtime ----

_request_id = None


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id
        return True


class _LambdaFormatter(logging.Formatter):
    def format(self, record):
        record.message = record.getMessage()
        when = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + ".%03dZ" % record.msecs
        text = "[%s]\t%s\t%s\t%s" % (record.levelname, when, record.aws_request_id, record.message)
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text.replace("\n", "\r")


def _setup_logging():
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(_LambdaFormatter())
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    for existing in list(root.handlers):
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(logging.WARNING)


# ---- errors: {"errorMessage", "errorType", "requestId", "stackTrace"} ----


class _TypedError(Exception):
    def __init__(self, error_type, message):
        super().__init__(message)
        self.error_type = error_type


def _error_payload(error, tb_frames=None):
    error_type = getattr(error, "error_type", None) or type(error).__name__
    payload = {"errorMessage": str(error), "errorType": error_type, "requestId": _request_id or ""}
    payload["stackTrace"] = traceback.format_list(tb_frames) if tb_frames else []
    return payload


def _user_frames(tb):
    # Drop this bootstrap's own frames; keep the user's.
    frames = traceback.extract_tb(tb)
    return [f for f in frames if f.filename != __file__]


def _log_error(payload):
    lines = ["[ERROR] %s: %s" % (payload["errorType"], payload["errorMessage"])]
    if payload["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        lines.extend(frame.rstrip("\n") for frame in payload["stackTrace"])
    sys.stdout.write("\r".join(lines).replace("\n", "\r") + "\n")


# ---- MemorySize: a backstop to the platform's memory watch ----
#
# On AWS the environment's memory is capped and a function that exceeds it is killed
# ("Runtime exited with error: signal: killed", error type Runtime.OutOfMemory).
# Terrarium's worker pool does the same from the outside, comparing the process's
# resident memory with MemorySize. An allocation faster than its check could still
# take the machine's memory, so RLIMIT_AS also caps the address space, generously:
# what the interpreter maps at start, plus MemorySize, plus room for what address
# space costs without memory (thread stacks, malloc arenas). Beyond it an allocation
# raises MemoryError, and the bootstrap reports the platform's error type and ends.

def _cap_memory():
    try:
        memory_mb = int(os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "0"))
        with open("/proc/self/status") as status:
            mapped_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    except (ValueError, OSError, StopIteration):
        return
    if memory_mb <= 0:
        return
    room_mb = max(memory_mb, 1024)
    limit = (mapped_kb * 1024) + (memory_mb + room_mb) * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _out_of_memory(path):
    # The platform's answer, not the handler's: the pool reports Runtime.OutOfMemory.
    try:
        _post(path, "", "Runtime.OutOfMemory")
    finally:
        os.kill(os.getpid(), signal.SIGKILL)


# ---- handler loading ----


def _load_handler(handler_string):
    try:
        module_path, function_name = handler_string.rsplit(".", 1)
    except ValueError as e:
        raise _TypedError("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (handler_string, e))
    module_name = module_path.replace("/", ".")
    try:
        module = importlib.import_module(module_name)
    except ImportError as e:
        raise _TypedError("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (module_path, e))
    except SyntaxError as e:
        raise _TypedError("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (module_path, e))
    handler = getattr(module, function_name, None)
    if handler is None:
        raise _TypedError("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_path))
    return handler


# ---- the context object ----


class _CognitoIdentity:
    def __init__(self, raw):
        self.cognito_identity_id = raw.get("cognitoIdentityId")
        self.cognito_identity_pool_id = raw.get("cognitoIdentityPoolId")


class _ClientContext:
    def __init__(self, raw):
        self.client = raw.get("client")
        self.custom = raw.get("custom")
        self.env = raw.get("env")


class LambdaContext:
    def __init__(self, headers):
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms") or 0)
        client_context = _parse_json(headers.get("lambda-runtime-client-context"))
        identity = _parse_json(headers.get("lambda-runtime-cognito-identity"))
        self.client_context = _ClientContext(client_context) if isinstance(client_context, dict) else None
        self.identity = _CognitoIdentity(identity) if isinstance(identity, dict) else None

    def get_remaining_time_in_millis(self):
        return max(0, self._deadline_ms - int(time.time() * 1000))

    def __repr__(self):
        return "LambdaContext([aws_request_id=%s,function_name=%s,function_version=%s])" % (
            self.aws_request_id,
            self.function_name,
            self.function_version,
        )


def _parse_json(text):
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


# ---- main loop ----


def main():
    global _request_id
    _setup_logging()
    _cap_memory()
    sys.path.insert(0, TASK_ROOT)
    try:
        handler = _load_handler(HANDLER)
    except MemoryError:
        _out_of_memory("init/error")
    except Exception as e:
        payload = _error_payload(e, None if isinstance(e, _TypedError) else _user_frames(sys.exc_info()[2]))
        _log_error(payload)
        _post("init/error", json.dumps(payload), payload["errorType"])
        sys.exit(1)

    while True:
        try:
            _serve_one(handler)
        except MemoryError:
            _out_of_memory("invocation/%s/error" % _request_id)


def _serve_one(handler):
    """GET /invocation/next, run the handler, POST its response or error."""
    global _request_id
    _request_id = None
    status, header_list, body = _call("GET", "invocation/next")
    headers = {k.lower(): v for k, v in header_list}
    _request_id = headers.get("lambda-runtime-aws-request-id")
    trace_id = headers.get("lambda-runtime-trace-id")
    if trace_id:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)
    try:
        event = json.loads(body) if body else {}
    except ValueError as e:
        payload = {"errorMessage": "Unable to unmarshal input: %s" % e, "errorType": "Runtime.UnmarshalError", "requestId": _request_id, "stackTrace": []}
        _post("invocation/%s/error" % _request_id, json.dumps(payload), payload["errorType"])
        return
    try:
        result = handler(event, LambdaContext(headers))
    except MemoryError:
        raise
    except Exception as e:
        payload = _error_payload(e, _user_frames(sys.exc_info()[2]))
        _log_error(payload)
        _post("invocation/%s/error" % _request_id, json.dumps(payload), payload["errorType"])
        return
    try:
        response = json.dumps(result)
    except (TypeError, ValueError) as e:
        payload = {"errorMessage": "Unable to marshal response: %s" % e, "errorType": "Runtime.MarshalError", "requestId": _request_id, "stackTrace": []}
        _log_error(payload)
        _post("invocation/%s/error" % _request_id, json.dumps(payload), payload["errorType"])
        return
    _post("invocation/%s/response" % _request_id, response)


if __name__ == "__main__":
    main()
