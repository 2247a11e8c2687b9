"""A builder's step named back to its Dockerfile instruction (no engine needed)."""

from dockerls.engine.build_steps import buildkit_step, classic_step, exit_code, locate, session_mounts
from dockerls.parse.dockerfile import parse_dockerfile

TEXT = """# syntax=docker/dockerfile:1
ARG X=1
FROM base:1 AS Builder
ENV A=1
WORKDIR /w
RUN make
FROM base:1
ARG Y
COPY --from=builder /w/out /out
RUN --mount=type=secret,id=t cat /run/secrets/t
"""
DF = parse_dockerfile(TEXT, "/p/Dockerfile")


def _line(ins):
    return ins.line + 1 if ins is not None else None


def test_buildkit_vertex_names():
    assert _line(buildkit_step(DF, "[builder 3/3] RUN make")) == 6
    assert _line(buildkit_step(DF, "[linux/amd64 builder 2/3] WORKDIR /w")) == 5
    assert _line(buildkit_step(DF, "[stage-1 2/3] COPY --from=builder /w/out /out")) == 9
    assert _line(buildkit_step(DF, "[stage-1 1/3] FROM docker.io/library/base:1")) == 7
    assert _line(buildkit_step(DF, "[internal] load metadata for docker.io/library/base:1")) == 3
    assert buildkit_step(DF, "[internal] load build context") is None


def test_classic_steps_count_global_args():
    assert _line(classic_step(DF, 1)) == 2 and _line(classic_step(DF, 9)) == 10
    assert classic_step(DF, 10) is None


def test_failures():
    assert exit_code("executor failed running [/bin/sh -c make]: exit code: 2") == 2
    assert exit_code("The command '/bin/sh -c make' returned a non-zero code: 7") == 7
    frontend = locate(DF, "/p/Dockerfile", "failed to solve with frontend gateway.v0: no such host")
    assert frontend.line == 1 and "docker/dockerfile:1" in frontend.reason
    bad = parse_dockerfile("FROM ok:1\nFROM Bad_Name\n")
    assert locate(bad, "Dockerfile", "invalid reference format: repository name must be lowercase").line == 2
    assert [(ins.line + 1, kind) for ins, kind in session_mounts(DF)] == [(10, "secret")]
