"""Downloading features: the registry's token challenge, Docker's stored credentials, the cache."""

import base64
import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dockerls.develop.features_fetch import FetchError, docker_credentials, fetch_features
from dockerls.develop.plan.features import parse_ref
from dockerls.develop.plan.features_apply import cache_folder
from tests.develop.feature_fixtures import feature_tar

LAYER = feature_tar()
LAYER_DIGEST = "sha256:" + hashlib.sha256(LAYER).hexdigest()
MANIFEST = json.dumps({"schemaVersion": 2, "layers": [
    {"mediaType": "application/vnd.devcontainers.layer.v1+tar", "digest": LAYER_DIGEST, "size": len(LAYER)}]}).encode()


class _Registry(BaseHTTPRequestHandler):
    """A registry that wants a bearer token, which its realm gives for the right basic credentials."""

    seen: list[str] = []

    def log_message(self, *args):
        pass

    def _send(self, code, body=b"", headers=None):
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.seen.append(self.path)
        host = f"127.0.0.1:{self.server.server_address[1]}"
        if self.path.startswith("/token"):
            good = "Basic " + base64.b64encode(b"me:secret").decode()
            if self.headers.get("Authorization") != good or "scope=repository%3Aowner%2Fhello%3Apull" not in self.path:
                return self._send(401)
            return self._send(200, json.dumps({"token": "T0KEN"}).encode())
        if self.headers.get("Authorization") != "Bearer T0KEN":
            return self._send(401, headers={"WWW-Authenticate":
                                            f'Bearer realm="http://{host}/token",service="{host}",'
                                            'scope="repository:owner/hello:pull"'})
        if self.path == "/v2/owner/hello/manifests/1":
            return self._send(200, MANIFEST, {"Content-Type": "application/vnd.oci.image.manifest.v1+json"})
        if self.path == f"/v2/owner/hello/blobs/{LAYER_DIGEST}":
            return self._send(200, LAYER)
        return self._send(404)


@pytest.fixture
def registry():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Registry)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _docker_config(tmp_path, registry, user="me", secret="secret"):
    folder = tmp_path / "docker"
    folder.mkdir(exist_ok=True)
    auth = base64.b64encode(f"{user}:{secret}".encode()).decode()
    (folder / "config.json").write_text(json.dumps({"auths": {registry: {"auth": auth}}}))
    return str(folder)


def test_token_auth_with_stored_credentials_and_the_cache(tmp_path, registry):
    environ = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "DOCKER_CONFIG": _docker_config(tmp_path, registry)}
    reference = f"{registry}/owner/hello:1"
    [folder] = fetch_features([reference], environ)
    assert folder == cache_folder(parse_ref(reference), environ)
    assert json.load(open(f"{folder}/devcontainer-feature.json"))["id"] == "hello"
    assert open(f"{folder}/.dockerls-digest").read().strip() == LAYER_DIGEST
    assert open(f"{folder}/.dockerls-ref").read().strip() == reference  # what the editor completes
    asked = len(_Registry.seen)
    assert fetch_features([reference], environ) == [folder]  # from the cache
    assert len(_Registry.seen) == asked


def test_refused_or_missing(tmp_path, registry):
    environ = {"XDG_CACHE_HOME": str(tmp_path / "cache"),
               "DOCKER_CONFIG": _docker_config(tmp_path, registry, secret="wrong")}
    with pytest.raises(FetchError, match="cannot download|refused"):
        fetch_features([f"{registry}/owner/hello:1"], environ)
    environ["DOCKER_CONFIG"] = _docker_config(tmp_path, registry)
    with pytest.raises(FetchError, match="not found"):
        fetch_features([f"{registry}/owner/hello:2"], environ)
    with pytest.raises(FetchError, match="cannot reach"):
        fetch_features(["127.0.0.1:1/owner/hello:1"], environ)


def test_docker_credentials(tmp_path):
    environ = {"DOCKER_CONFIG": _docker_config(tmp_path, "ghcr.io", "u", "p:w")}
    assert docker_credentials("ghcr.io", environ) == ("u", "p:w")
    assert docker_credentials("other.io", environ) is None
    assert docker_credentials("ghcr.io", {"DOCKER_CONFIG": str(tmp_path / "none")}) is None
