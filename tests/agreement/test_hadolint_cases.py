"""dockerls' rules mean what hadolint's mean: on every case of the agreement corpus
(hadolint_cases.yaml, hadolint's verdicts) dockerls says the same, except the differences
listed in DELIBERATE, each with its reason.  bench/agreement.py --cases prints the figure."""

import pytest

from tests.agreement.cases import Case, dockerls_verdict, load

# (rule, text without its final newline) -> why dockerls decides otherwise than hadolint.
_SPLIT = ("BuildKit splits COPY's shell-form arguments at spaces even inside quotes (a path with a space "
          "needs the JSON form); dockerls reads it as BuildKit does, hadolint keeps the quoted path whole")
_VARIABLE_VERSION = "the version comes from a variable; hadolint 2.15.1 reports it (later hadolint versions accept it)"
_WHOLE_IMAGE = ("`COPY --from=<image> / /` takes an image's files as they are, and into `FROM scratch` it squashes "
                "a stage: idioms, not the mix of two filesystems the rule is about; dockerls reports a stage "
                "copied over a non-empty stage (hadolint's message says \"from another stage\"), hadolint any --from")
DELIBERATE: dict[tuple[str, str], str] = {
    ("DL3067", "COPY --from=builder / /"): _WHOLE_IMAGE,
    ("DL3067", 'COPY --from=builder "/" "/"'): _WHOLE_IMAGE,
    ("DL3067", "FROM debian:12 AS builder\nFROM scratch\nCOPY --from=builder / /"): _WHOLE_IMAGE,
    ("DL3067", "FROM debian:12\nCOPY --from=alpine:3.20 / /"): _WHOLE_IMAGE,
    ("DL3009", "RUN rm -f /etc/apt/apt.conf.d/docker-clean\nRUN --mount=type=cache,target=/var/lib/apt \\\n"
               "    apt-get update && apt-get install curl"):
        "the lists live in /var/lib/apt/lists, which a cache mount on /var/lib/apt keeps out of the layer; "
        "hadolint also wants /var/cache/apt mounted, which holds packages, not lists",
    ("DL3010", 'COPY out\\web\\site.tar.gz "C:\\Program Files\\Web"\nRUN tar -xf "C:\\Program Files\\Web\\site.tar.gz"'):
        _SPLIT,
    ("DL3041", 'RUN dnf install -y "git-core-${GIT_VERSION}" && dnf clean all'):
        _VARIABLE_VERSION,
    ("DL3010", 'COPY out\\web\\site.tar.gz "C:\\Program Files\\web.tar.gz"\nRUN tar -xf web.tar.gz'): _SPLIT,
    ("DL3024", "FROM node:22 AS web\nFROM scratch AS WEB"):
        "BuildKit lower-cases stage names, so `web` and `WEB` collide; hadolint compares them case-sensitively",
    ("DL3033", 'RUN yum install -y "git-core-${GIT_VERSION}" && yum clean all'): _VARIABLE_VERSION,
    ("DL3048", 'LABEL bad$name="x"'):
        "BuildKit expands variables in LABEL keys (`$name` is replaced before the key is stored), so the "
        "key is only known at build time; hadolint checks the unexpanded text",
    ("DL4006", 'FROM scratch AS b\nSHELL ["/usr/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsS https://example.com | wc -l'):
        "the shell is bash (found by its file name, wherever it lives) and has pipefail set; hadolint 2.15.1 "
        "only knows /bin/bash (fixed in later hadolint, its issue #977)",
    ("DL3049", 'FROM debian:12 AS base\nFROM base\nLABEL owner="me"'):
        "hadolint 2.15.1 files a stage without a name under its image's name, so the LABEL of the unnamed "
        "`FROM base` counts for the stage `base` too; with `FROM base AS child` it reports `base`.  "
        "dockerls checks every stage the same way: `base` is an image (a `--target`) without the label",
}

CASES = load()


def deliberate(case: Case) -> str | None:
    return DELIBERATE.get((case.rule, case.text.rstrip("\n")))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_verdict_matches_hadolint(case):
    ours = dockerls_verdict(case)
    if deliberate(case):
        assert ours != case.hadolint, f"listed as a deliberate difference but dockerls agrees: {case.id}"
    else:
        assert ours == case.hadolint, case.id


def test_deliberate_entries_name_cases():
    known = {(c.rule, c.text.rstrip("\n")) for c in CASES}
    assert not set(DELIBERATE) - known
