"""Downloading dev container features into the cache (the plan only reads the cache).

- OCI (``registry/namespace/id:tag`` or ``@sha256:...``): the distribution API: the manifest, then
  its ``application/vnd.devcontainers.layer.v1+tar`` layer, checked against its digest.  A 401 is
  answered as the registry asks: a bearer token from its realm (anonymous, or with the
  credentials of ``~/.docker/config.json``: ``auths``, ``credHelpers``, ``credsStore``), or basic
  auth.  ``localhost``/``127.0.0.1`` and the registries in ``DOCKERLS_INSECURE_REGISTRIES``
  (comma-separated) are spoken to over plain HTTP, as the engine's insecure registries are.
- a tarball URL: downloaded over https and unpacked.

Each download is unpacked in a temporary folder beside the cache folder and renamed into place,
so a cache folder is always complete; archive members that would land outside it are refused.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from typing import Mapping

from dockerls.develop.plan.features import FEATURE_FILE, FeatureRef, parse_ref
from dockerls.develop.plan.features_apply import REFERENCE_FILE, cache_folder, cached_reference
from dockerls.develop.plan.model import PlanError

MANIFEST_TYPES = "application/vnd.oci.image.manifest.v1+json"
LAYER_TYPE = "application/vnd.devcontainers.layer.v1+tar"
TIMEOUT = 30
MAX_BYTES = 200 * 1024 * 1024
MAX_DEPENDENCY_ROUNDS = 8


class FetchError(PlanError):
    pass


def fetch_features(references: list[str], environ: Mapping[str, str] | None = None, log=None) -> list[str]:
    """Download each reference into the cache; the cache folders."""
    environ = os.environ if environ is None else environ
    out = []
    for written in references:
        ref = parse_ref(written)
        if log:
            log(f"Downloading the feature {written}")
        out.append(fetch_feature(ref, environ))
    return out


def fetch_feature(ref: FeatureRef, environ: Mapping[str, str]) -> str:
    target = cache_folder(ref, environ)
    if os.path.isfile(os.path.join(target, FEATURE_FILE)):
        return target
    if ref.kind == "oci":
        data, digest = _oci_layer(ref, environ)
    elif ref.kind == "tarball":
        data = _get(urllib.request.Request(ref.resource, headers={"User-Agent": "dockerls"}), ref.written)
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
    else:
        raise FetchError(f"{ref.written}: a local feature is not downloaded")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    staging = tempfile.mkdtemp(prefix=".partial-", dir=os.path.dirname(target))
    try:
        _unpack(data, staging, ref.written)
        if not os.path.isfile(os.path.join(staging, FEATURE_FILE)):
            raise FetchError(f"{ref.written}: the download has no {FEATURE_FILE}")
        with open(os.path.join(staging, ".dockerls-digest"), "w") as fh:
            fh.write(digest + "\n")
        with open(os.path.join(staging, REFERENCE_FILE), "w") as fh:  # the editor completes the ids cached
            fh.write(cached_reference(ref) + "\n")
        try:
            os.rename(staging, target)
        except OSError:
            if not os.path.isfile(os.path.join(target, FEATURE_FILE)):  # not another process's copy
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


# -- the registry ----------------------------------------------------------------------------------

def _base_url(registry: str, environ: Mapping[str, str]) -> str:
    insecure = {r.strip() for r in environ.get("DOCKERLS_INSECURE_REGISTRIES", "").split(",") if r.strip()}
    host = registry.rsplit(":", 1)[0] if registry.count(":") == 1 else registry
    plain = host in ("localhost", "127.0.0.1", "[::1]") or registry in insecure
    return f"{'http' if plain else 'https'}://{registry}"


def _oci_layer(ref: FeatureRef, environ: Mapping[str, str]) -> tuple[bytes, str]:
    session = _Session(ref, environ)
    manifest_bytes = session.get(f"/manifests/{ref.version}", MANIFEST_TYPES)
    if ref.digest and "sha256:" + hashlib.sha256(manifest_bytes).hexdigest() != ref.digest:
        raise FetchError(f"{ref.written}: the manifest does not match its digest")
    try:
        manifest = json.loads(manifest_bytes)
        layers = manifest["layers"]
    except (ValueError, KeyError, TypeError):
        raise FetchError(f"{ref.written}: the registry's answer is not an OCI manifest") from None
    layer = next((lay for lay in layers if lay.get("mediaType") == LAYER_TYPE), None) or (layers[0] if layers else None)
    if not layer or not isinstance(layer.get("digest"), str):
        raise FetchError(f"{ref.written}: the manifest has no feature layer ({LAYER_TYPE})")
    data = session.get(f"/blobs/{layer['digest']}", "*/*")
    algorithm, _, expected = layer["digest"].partition(":")
    if algorithm != "sha256" or hashlib.sha256(data).hexdigest() != expected:
        raise FetchError(f"{ref.written}: the downloaded layer does not match its digest")
    return data, layer["digest"]


class _Session:
    """Requests to one repository, answering the registry's authentication challenge once."""

    def __init__(self, ref: FeatureRef, environ: Mapping[str, str]):
        self.ref = ref
        self.environ = environ
        self.base = f"{_base_url(ref.registry, environ)}/v2/{ref.repository}"
        self.authorization: str | None = None

    def get(self, path: str, accept: str) -> bytes:
        for attempt in range(2):
            headers = {"Accept": accept, "User-Agent": "dockerls"}
            if self.authorization:
                headers["Authorization"] = self.authorization
            try:
                return _get(urllib.request.Request(self.base + path, headers=headers), self.ref.written, raw=True)
            except urllib.error.HTTPError as err:
                if err.code == 401 and attempt == 0:
                    self.authorization = self._answer(err.headers.get("WWW-Authenticate", ""))
                    continue
                if err.code == 404:
                    raise FetchError(f"{self.ref.written}: not found in {self.ref.registry}") from None
                if err.code in (401, 403):
                    raise FetchError(f"{self.ref.written}: {self.ref.registry} refused access ({err.code}); "
                                     f"log in with `docker login {self.ref.registry}`") from None
                raise FetchError(f"{self.ref.written}: {self.ref.registry} answered {err.code} {err.reason}") from None
        raise FetchError(f"{self.ref.written}: {self.ref.registry} refused access")

    def _answer(self, challenge: str) -> str:
        scheme, _, rest = challenge.partition(" ")
        params = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        credentials = docker_credentials(self.ref.registry, self.environ)
        basic = "Basic " + base64.b64encode(f"{credentials[0]}:{credentials[1]}".encode()).decode() if credentials else None
        if scheme.lower() == "basic":
            if not basic:
                raise FetchError(f"{self.ref.written}: {self.ref.registry} needs a login (`docker login`)")
            return basic
        realm = params.get("realm")
        if scheme.lower() != "bearer" or not realm:
            raise FetchError(f"{self.ref.written}: {self.ref.registry} asks for an authentication dockerls does not speak")
        query = {"scope": params.get("scope") or f"repository:{self.ref.repository}:pull"}
        if params.get("service"):
            query["service"] = params["service"]
        headers = {"User-Agent": "dockerls", **({"Authorization": basic} if basic else {})}
        request = urllib.request.Request(f"{realm}?{urllib.parse.urlencode(query)}", headers=headers)
        try:
            answer = json.loads(_get(request, self.ref.written))
        except ValueError:
            raise FetchError(f"{self.ref.written}: the token service of {self.ref.registry} answered nonsense") from None
        token = answer.get("token") or answer.get("access_token")
        if not token:
            raise FetchError(f"{self.ref.written}: no token from {realm}")
        return f"Bearer {token}"


def _get(request: urllib.request.Request, what: str, raw: bool = False) -> bytes:
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            data = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError:
        if raw:
            raise
        raise FetchError(f"{what}: cannot download {request.full_url}") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise FetchError(f"{what}: cannot reach {urllib.parse.urlsplit(request.full_url).netloc}: {reason}") from None
    if len(data) > MAX_BYTES:
        raise FetchError(f"{what}: the download is larger than {MAX_BYTES // 2**20} MiB")
    return data


def docker_credentials(registry: str, environ: Mapping[str, str]) -> tuple[str, str] | None:
    """(user, secret) for ``registry`` from the Docker CLI's configuration, or None."""
    folder = environ.get("DOCKER_CONFIG") or os.path.join(os.path.expanduser("~"), ".docker")
    try:
        with open(os.path.join(folder, "config.json"), encoding="utf-8") as fh:
            config = json.load(fh)
    except (OSError, ValueError):
        return None
    names = [registry, f"https://{registry}", f"http://{registry}"]
    if registry in ("docker.io", "registry-1.docker.io"):
        names.append("https://index.docker.io/v1/")
    helper = next((config["credHelpers"][n] for n in names if n in (config.get("credHelpers") or {})), None)
    helper = helper or config.get("credsStore")
    if helper:
        try:
            done = subprocess.run([f"docker-credential-{helper}", "get"], input=registry, capture_output=True,
                                  text=True, timeout=TIMEOUT)
            answer = json.loads(done.stdout) if done.returncode == 0 else None
        except (OSError, ValueError, subprocess.TimeoutExpired):
            answer = None
        if answer and answer.get("Secret"):
            return answer.get("Username", ""), answer["Secret"]
    for name in names:
        entry = (config.get("auths") or {}).get(name) or {}
        if entry.get("identitytoken"):
            return "<token>", entry["identitytoken"]
        if entry.get("auth"):
            try:
                user, _, secret = base64.b64decode(entry["auth"]).decode().partition(":")
            except ValueError:
                continue
            return user, secret
    return None


def _unpack(data: bytes, folder: str, what: str) -> None:
    try:
        archive = tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
    except tarfile.TarError:
        raise FetchError(f"{what}: the download is not a tar archive") from None
    with archive:
        try:
            archive.extractall(folder, filter="data")  # refuses absolute paths, .. and links out
        except (tarfile.TarError, OSError) as err:
            raise FetchError(f"{what}: the archive cannot be unpacked safely: {err}") from None


def plan_with_features(folder: str, options, progress=None):
    """``make_plan``, downloading the features the plan found missing first (then planning again)."""
    from dockerls.develop.plan.workspace import make_plan

    plan = make_plan(folder, options)
    for _ in range(MAX_DEPENDENCY_ROUNDS):  # each round may find dependsOn features to download
        if not plan.missing_features:
            return plan
        fetch_features(plan.missing_features, options.environ, progress.on_log if progress else None)
        plan = make_plan(folder, options)
    raise FetchError(f"the features {', '.join(plan.missing_features)} could not be downloaded", plan.config_file)
