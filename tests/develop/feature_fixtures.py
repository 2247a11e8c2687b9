"""A small dev container feature for the tests, and pushing it to a registry as an OCI artifact
(the distribution HTTP API: blob uploads, then the manifest)."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
import urllib.request

FEATURE = {
    "id": "hello",
    "version": "1.0.0",
    "name": "Hello",
    "description": "Writes a greeting",
    "options": {
        "greeting": {"type": "string", "default": "hi", "description": "what to say"},
        "loud": {"type": "boolean", "default": False},
    },
    "containerEnv": {"HELLO_HOME": "/opt/hello", "HELLO_PATH": "/opt/hello/bin"},
    "capAdd": ["SYS_PTRACE"],
    "postCreateCommand": "cat /opt/hello/greeting > /tmp/feature-post-create",
    "customizations": {"vscode": {"extensions": ["example.hello"]}},
}
INSTALL = """#!/bin/sh
set -e
mkdir -p "$HELLO_HOME"
echo "$GREETING" > "$HELLO_HOME/greeting"
echo "$LOUD" > "$HELLO_HOME/loud"
echo "$_REMOTE_USER" > "$HELLO_HOME/remote-user"
"""
# A base that has the applets a feature's install needs (chmod, cut, ...).
DOCKERFILE = "FROM {base}\nRUN /bin/busybox mkdir -p /usr/bin /sbin /usr/sbin && /bin/busybox --install -s\n"


def write_feature(folder) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "devcontainer-feature.json").write_text(json.dumps(FEATURE, indent=2))
    (folder / "install.sh").write_text(INSTALL)


def feature_tar() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        for name, text in (("devcontainer-feature.json", json.dumps(FEATURE, indent=2)), ("install.sh", INSTALL)):
            data = text.encode()
            info = tarfile.TarInfo(f"./{name}")
            info.size, info.mode = len(data), 0o755
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _put_blob(registry: str, repository: str, data: bytes) -> str:
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    start = urllib.request.Request(f"http://{registry}/v2/{repository}/blobs/uploads/", method="POST")
    with urllib.request.urlopen(start, timeout=10) as response:
        location = response.headers["Location"]
    if location.startswith("/"):
        location = f"http://{registry}{location}"
    separator = "&" if "?" in location else "?"
    put = urllib.request.Request(f"{location}{separator}digest={digest}", data=data, method="PUT",
                                 headers={"Content-Type": "application/octet-stream"})
    urllib.request.urlopen(put, timeout=10).close()
    return digest


def push_feature(registry: str, repository: str, tag: str) -> str:
    """Push the test feature as the Dev Containers CLI publishes one; the manifest's digest."""
    layer = feature_tar()
    config = b"{}"
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.devcontainers", "digest": _put_blob(registry, repository, config),
                   "size": len(config)},
        "layers": [{"mediaType": "application/vnd.devcontainers.layer.v1+tar",
                    "digest": _put_blob(registry, repository, layer), "size": len(layer),
                    "annotations": {"org.opencontainers.image.title": "devcontainer-feature-hello.tgz"}}],
    }
    body = json.dumps(manifest).encode()
    put = urllib.request.Request(f"http://{registry}/v2/{repository}/manifests/{tag}", data=body, method="PUT",
                                 headers={"Content-Type": manifest["mediaType"]})
    urllib.request.urlopen(put, timeout=10).close()
    return "sha256:" + hashlib.sha256(body).hexdigest()
