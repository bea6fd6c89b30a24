"""moto's S3 server (from PyPI, in the test venv) for the S3 tests.

Contract: the session fixtures start `python -m moto.server` on 127.0.0.1
at a free port, create the buckets in BUCKETS, and stop the server at the
end of the session. `s3_server` accepts any key; `s3_auth_server` checks
every request's key and signature, for an IAM user it makes whose key may
do anything. moto's check is only usable for requests without '/' in a
query value: it verifies against the decoded query ("prefix=a/"), while
SigV4 (and boto3 alike) sign the encoded one ("prefix=a%2F"), so listings
under a prefix are refused there whoever signs them. Its S3Server gives the endpoint and
keys, `hadoop_conf()` (the spark.hadoop.fs.s3a.* settings reaching it) and
boto3 helpers to put, list and read objects behind ember's back; boto3
runs in the venv interpreter (a subprocess), since the tests run under
the system python, which lacks it."""

import json
import socket
import subprocess

import pytest

from polling import wait_for
from reference import reference_env, venv_python

BUCKETS = ("ember-data", "ember-out", "ember-many")
# The requests moto serves before it checks signatures: the three IAM
# calls of _SETUP that make the key everything else is signed with.
_UNSIGNED_SETUP_CALLS = 3

_SETUP = """
import boto3, json, sys
endpoint, auth, buckets = sys.argv[1], sys.argv[2] == "auth", sys.argv[3:]
key = {"AccessKeyId": "AKIDEMBERTEST", "SecretAccessKey": "ember-test-secret"}
if auth:
    iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="setup", aws_secret_access_key="setup")
    iam.create_user(UserName="ember")
    key = iam.create_access_key(UserName="ember")["AccessKey"]
    iam.put_user_policy(UserName="ember", PolicyName="all", PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
for bucket in buckets:
    s3.create_bucket(Bucket=bucket)
print(json.dumps([key["AccessKeyId"], key["SecretAccessKey"]]))
"""

# Runs one S3 client call from JSON on stdin: [method, kwargs]; prints the
# JSON result (bytes bodies as latin-1 text).
_CALL = """
import boto3, json, sys
endpoint, access, secret = sys.argv[1:4]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id=access, aws_secret_access_key=secret)
calls = json.load(sys.stdin)
out = []
for method, kwargs in calls:
    if "Body" in kwargs:
        kwargs["Body"] = kwargs["Body"].encode("latin-1")
    if method == "list_keys":
        pages = s3.get_paginator("list_objects_v2").paginate(**kwargs)
        out.append([o["Key"] for p in pages for o in p.get("Contents", [])])
    elif method == "get_object":
        out.append(s3.get_object(**kwargs)["Body"].read().decode("latin-1"))
    elif method == "list_multipart_uploads":
        out.append([u["Key"] for u in s3.list_multipart_uploads(**kwargs).get("Uploads", [])])
    else:
        getattr(s3, method)(**kwargs)
        out.append(None)
print(json.dumps(out))
"""


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _accepts(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


class S3Server:
    def __init__(self, log_path, auth):
        self.port = _free_port()
        self.endpoint = "http://127.0.0.1:%d" % self.port
        env = reference_env()
        if auth:
            env["INITIAL_NO_AUTH_ACTION_COUNT"] = str(_UNSIGNED_SETUP_CALLS)
        self._log = open(log_path, "wb")
        self._proc = subprocess.Popen([venv_python(), "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                                      env=env, stdout=self._log, stderr=subprocess.STDOUT)
        # A TCP probe, not an HTTP request: moto would count it as one of the
        # unsigned set-up calls.
        wait_for(lambda: self._proc.poll() is not None or _accepts(self.port), "moto to listen")
        if self._proc.poll() is not None:
            raise RuntimeError("moto exited with %s; see %s" % (self._proc.returncode, log_path))
        out = subprocess.run([venv_python(), "-c", _SETUP, self.endpoint, "auth" if auth else "open", *BUCKETS],
                             env=reference_env(), check=True, capture_output=True, text=True, timeout=120).stdout
        self.access_key, self.secret_key = json.loads(out)

    def hadoop_conf(self, **overrides):
        """spark.hadoop.fs.s3a.* settings for this server (keyword
        overrides use _ for ., e.g. secret_key="wrong")."""
        conf = {"endpoint": self.endpoint, "path.style.access": "true",
                "access.key": self.access_key, "secret.key": self.secret_key}
        conf.update({k.replace("_", "."): v for k, v in overrides.items()})
        return {"spark.hadoop.fs.s3a." + k: v for k, v in conf.items()}

    def calls(self, *calls):
        """Runs boto3 S3 calls [(method, kwargs), ...] and returns their results."""
        out = subprocess.run([venv_python(), "-c", _CALL, self.endpoint, self.access_key, self.secret_key],
                             env=reference_env(), input=json.dumps(calls), check=True, capture_output=True, text=True, timeout=300).stdout
        return json.loads(out)

    def put(self, bucket, objects):
        """Writes {key: bytes} into `bucket`."""
        self.calls(*[("put_object", {"Bucket": bucket, "Key": k, "Body": v.decode("latin-1")})
                     for k, v in objects.items()])

    def keys(self, bucket, prefix=""):
        return self.calls(("list_keys", {"Bucket": bucket, "Prefix": prefix}))[0]

    def get(self, bucket, key):
        return self.calls(("get_object", {"Bucket": bucket, "Key": key}))[0].encode("latin-1")

    def uploads(self, bucket):
        """Keys with multipart uploads begun and neither completed nor aborted."""
        return self.calls(("list_multipart_uploads", {"Bucket": bucket}))[0]

    def stop(self):
        self._proc.terminate()
        self._proc.wait(timeout=30)
        self._log.close()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    server = S3Server(tmp_path_factory.mktemp("moto") / "moto.log", auth=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_auth_server(tmp_path_factory):
    server = S3Server(tmp_path_factory.mktemp("moto-auth") / "moto.log", auth=True)
    yield server
    server.stop()
