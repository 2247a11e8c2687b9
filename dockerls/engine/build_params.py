"""A build's :class:`~dockerls.develop.plan.model.BuildOptions` (devcontainer.json's ``build.options``
and ``build.cacheFrom``) as the Engine API's ``POST /build`` parameters, for both builders: the
query parameters of the BuildKit request, the keyword arguments of docker-py's ``APIClient.build``."""

from __future__ import annotations

import json

from dockerls.develop.plan.model import BuildSpec


def image_labels(spec: BuildSpec) -> dict[str, str]:
    """The image's labels: ``--label`` of build.options, and develop's own (which win)."""
    return {**spec.options.labels, **spec.labels}


def query_params(spec: BuildSpec) -> dict:
    """The options as ``POST /build`` query parameters (labels, nocache and networkmode are the
    caller's: they combine with its own)."""
    options = spec.options
    params: dict = {}
    if options.cache_from:
        params["cachefrom"] = json.dumps(options.cache_from)
    if options.platform:
        params["platform"] = options.platform
    if options.extra_hosts:
        params["extrahosts"] = list(options.extra_hosts)  # a repeated parameter, "host:ip" each
    if options.shm_size:
        params["shmsize"] = options.shm_size
    if options.pull:
        params["pull"] = 1
    return params


def docker_py_kwargs(spec: BuildSpec) -> dict:
    """The same for docker-py's ``APIClient.build`` (the classic builder)."""
    options = spec.options
    kwargs: dict = {"pull": options.pull}
    if options.cache_from:
        kwargs["cache_from"] = list(options.cache_from)
    if options.platform:
        kwargs["platform"] = options.platform
    if options.extra_hosts:
        kwargs["extra_hosts"] = list(options.extra_hosts)
    if options.shm_size:
        kwargs["shmsize"] = options.shm_size
    if options.network:
        kwargs["network_mode"] = options.network
    return kwargs
