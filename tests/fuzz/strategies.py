"""Hypothesis strategies: grammar-generated Dockerfiles, compose files and devcontainer.json, and
mutations of the seed corpus (:mod:`tests.fuzz.corpus`)."""

from __future__ import annotations

import json

from hypothesis import strategies as st

from tests.fuzz.corpus import seeds

# -- shared pieces ----------------------------------------------------------------------------------

NAMES = st.sampled_from(["app", "base", "build", "web", "db", "x", "Stage1", "FOO", "foo_bar", "A-B", "1"])
VARS = st.sampled_from(["VERSION", "PATH", "HOME", "V", "TARGETARCH", "BUILDPLATFORM", "_x", "a1"])


@st.composite
def variable(draw) -> str:
    name = draw(VARS)
    form = draw(st.sampled_from(["$N", "${N}", "${N:-d}", "${N:+a b}", "${N-}", "${N:?err}", "$$N", "${N", "\\$N"]))
    return form.replace("N", name).replace("d", draw(st.sampled_from(["1", "", "x/y", "${V}"])))


WORDS = st.one_of(
    st.sampled_from(["curl", "git", "-y", "--no-install-recommends", "/app", ".", "*.txt", "a=b", "\"q w\"",
                     "'s q'", "&&", "||", ";", "|", ">", "2>&1", "-rf", "/var/lib/apt/lists/*", "8080", "80/tcp",
                     "[", "]", "\"", "'", "\\", "`", "#", "=", "é", "😀", "\t", "--", "--mount=type=cache,target=/c"]),
    variable(),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=6),
)

# -- Dockerfiles ------------------------------------------------------------------------------------

IMAGES = st.sampled_from(["alpine", "alpine:3.19", "ubuntu:latest", "debian:bookworm-slim", "python:3.12@sha256:"
                          + "a" * 64, "scratch", "node", "ghcr.io/o/i:1", "localhost:5000/x", "$BASE", "${IMG}:1",
                          "base", "build", "--platform=$BUILDPLATFORM golang:1.22", "UPPER:Case", ""])
COMMANDS = st.sampled_from([
    "apt-get update && apt-get install -y curl", "apt-get install -y --no-install-recommends git=1:2.39 && "
    "rm -rf /var/lib/apt/lists/*", "apk add --no-cache curl", "apk add bash", "pip install flask",
    "pip install --no-cache-dir -r requirements.txt", "npm install", "yum install -y httpd && yum clean all",
    "dnf install -y x", "zypper install -y y", "cd /tmp && make", "curl -fsSL https://x.example | sh",
    "wget -O - https://x | bash", "sudo make install", "echo $HOME", "useradd -m app", "ln -s a b",
    "chmod 777 /app", "set -e; for i in 1 2; do echo $i; done", "go build -o /bin/app .", "echo \"unterminated",
])


@st.composite
def _args(draw, min_size: int = 0) -> str:
    return " ".join(draw(st.lists(WORDS, min_size=min_size, max_size=5)))


@st.composite
def _json_array(draw) -> str:
    items = draw(st.lists(st.one_of(WORDS, st.integers(-3, 3).map(str)), max_size=4))
    text = json.dumps(items)
    return draw(st.sampled_from([text, text.replace('"', "'"), text[:-1], "[" + ", ".join(items) + "]"]))


@st.composite
def _heredoc(draw, keyword: str) -> str:
    name = draw(st.sampled_from(["EOF", "EOT", "END", "'EOF'", '"X"', "-EOF"]))
    bare = name.strip("'\"-")
    head = f"{keyword} <<{name}" + (" /dst" if keyword != "RUN" else draw(st.sampled_from(["", " bash", " <<B"])))
    body = "\n".join(draw(st.lists(st.one_of(COMMANDS, _args()), max_size=3)))
    end = draw(st.sampled_from([bare, "\t" + bare, bare + " ", ""]))
    return f"{head}\n{body}\n{end}" + ("\nbody of B\nB" if head.endswith("<<B") else "")


@st.composite
def _instruction(draw) -> str:
    kw = draw(st.sampled_from(["FROM", "ARG", "ENV", "RUN", "RUN", "COPY", "ADD", "CMD", "ENTRYPOINT", "EXPOSE",
                               "HEALTHCHECK", "LABEL", "USER", "WORKDIR", "SHELL", "ONBUILD", "STOPSIGNAL",
                               "VOLUME", "MAINTAINER", "HEREDOC", "UNKNOWN"]))
    a = draw(_args())
    if kw == "FROM":
        suffix = draw(st.sampled_from(["", " AS {}", " as {}", " AS", " {}"])).format(draw(NAMES))
        return f"FROM {draw(IMAGES)}{suffix}"
    if kw == "ARG":
        return f"ARG {draw(VARS)}" + draw(st.sampled_from(["", "=1", "=", "=\"a b\"", "=" + draw(variable())]))
    if kw in ("ENV", "LABEL"):
        pairs = draw(st.lists(st.tuples(VARS, WORDS), min_size=1, max_size=3))
        if draw(st.booleans()):
            return f"{kw} {pairs[0][0]} {pairs[0][1]}"  # the legacy form
        return f"{kw} " + " ".join(f"{k}={v}" for k, v in pairs)
    if kw == "RUN":
        flags = draw(st.sampled_from(["", "--mount=type=cache,target=/root/.cache ", "--network=none ", "--x "]))
        return f"RUN {flags}" + draw(st.one_of(COMMANDS, _json_array(), _args()))
    if kw in ("COPY", "ADD"):
        flags = draw(st.sampled_from(["", "--from={} ", "--chown=app:app ", "--chmod=755 ", "--link "]))
        src = draw(st.sampled_from([". /app", "a b c/", "https://x/y.tgz /", "--from", "[\"a\", \"/b\"]", "*.py ./"]))
        return f"{kw} {flags.format(draw(NAMES))}{src}"
    if kw in ("CMD", "ENTRYPOINT", "SHELL"):
        return f"{kw} " + draw(st.one_of(_json_array(), COMMANDS, _args()))
    if kw == "HEALTHCHECK":
        return "HEALTHCHECK " + draw(st.sampled_from(["NONE", "--interval=5s CMD curl -f http://x/", "CMD", "x"]))
    if kw == "ONBUILD":
        return "ONBUILD " + draw(st.sampled_from(["RUN make", "FROM x", "ONBUILD RUN y", "COPY . /a", ""]))
    if kw == "HEREDOC":
        return draw(_heredoc(draw(st.sampled_from(["RUN", "COPY", "ADD"]))))
    if kw == "UNKNOWN":
        return draw(st.sampled_from(["FORM alpine", "RUNN x", "from alpine", "Run x", "\\", "-- x"])) + a
    return f"{kw} {a}".rstrip() if draw(st.booleans()) else f"{kw} {draw(_args(min_size=1))}"


@st.composite
def _continued(draw, line: str) -> str:
    """Break a line into continuation lines, with comments and blank lines in between sometimes."""
    words = line.split(" ")
    if len(words) < 2 or "\n" in line or not draw(st.booleans()):
        return line
    out = words[0]
    for w in words[1:]:
        if draw(st.integers(0, 3)) == 0:
            out += draw(st.sampled_from([" \\\n  ", " \\\n", "\\\n", " \\  \n", " \\\n# c\n  ", " \\\n\n  "]))
        else:
            out += " "
        out += w
    return out


@st.composite
def dockerfiles(draw) -> str:
    escape = draw(st.sampled_from(["\\", "\\", "\\", "`"]))
    head = draw(st.lists(st.sampled_from(["# syntax=docker/dockerfile:1", f"# escape={escape}", "# check=skip=all",
                                          "# check=error=true", "# escape=x", "#syntax = x"]), max_size=2))
    body = []
    for _ in range(draw(st.integers(1, 12))):
        extra = draw(st.sampled_from(["", "", "", "# a comment", "# hadolint ignore=DL3008,DL3015",
                                      "# dockerls global ignore=DL3006", "", "   ", "\t# indented"]))
        if extra:
            body.append(extra)
        line = draw(_continued(draw(_instruction())))
        if escape == "`":
            line = line.replace("\\\n", "`\n")
        body.append(draw(st.sampled_from(["", "  ", "\t"])) + line)
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    end = draw(st.sampled_from(["\n", "", "\n\n", "\\"]))
    return newline.join(head + body) + end


# -- compose ----------------------------------------------------------------------------------------

SCALARS = st.one_of(
    st.sampled_from(["nginx:1.27", "nginx", "postgres:latest", "\"8080:80\"", "80:80", "127.0.0.1:53:53/udp", "3000",
                     "yes", "no", "on", "true", "null", "~", "0o17", "1e3", "\"\"", "'quoted'", "./app", "../x",
                     "${IMAGE:-nginx}", "${PORT:?need a port}", "$$HOME", "${A:-${B}}", "${", "$", "*base",
                     "&a x", "!reset null", "!override [1]", "[a, b]", "{a: 1}", "|\n      multi\n      line",
                     "\"unterminated", "service_healthy", "sh -c 'echo hi'", "[\"CMD\", \"curl\"]", "10s", "512m"]),
    variable(),
)
KEYS = st.sampled_from(["image", "build", "context", "dockerfile", "target", "ports", "environment", "volumes",
                        "depends_on", "networks", "healthcheck", "test", "command", "entrypoint", "restart",
                        "env_file", "secrets", "configs", "profiles", "extends", "service", "deploy", "x-base",
                        "labels", "condition", "container_name", "<<", "develop", "watch", "path", "action"])


@st.composite
def _yaml_block(draw, depth: int, indent: int) -> list[str]:
    pad = " " * indent
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        key = draw(KEYS)
        anchor = " &a" if draw(st.integers(0, 8)) == 0 else ""
        shape = draw(st.integers(0, 4)) if depth < 3 else 0
        if key == "<<":
            lines.append(f"{pad}<<: " + draw(st.sampled_from(["*a", "[*a, *b]", "*missing", "1", "", "{x: 1}"])))
        elif shape == 0:
            lines.append(f"{pad}{key}:{anchor} {draw(SCALARS)}")
        elif shape == 1:
            lines.append(f"{pad}{key}:{anchor}")
            lines.extend(f"{pad}  - {draw(SCALARS)}" for _ in range(draw(st.integers(0, 3))))
        else:
            lines.append(f"{pad}{key}:{anchor}")
            lines.extend(draw(_yaml_block(depth + 1, indent + draw(st.sampled_from([2, 2, 4, 1])))))
    return lines


@st.composite
def composes(draw) -> str:
    lines = []
    if draw(st.booleans()):
        lines += ["x-common: &base", "  restart: always", "  image: ${IMAGE:-app}:1"]
    lines.append(draw(st.sampled_from(["services:", "services:", "services: {}", "version: '3'\nservices:"])))
    for _ in range(draw(st.integers(0, 3))):
        lines.append(f"  {draw(NAMES)}:")
        if draw(st.booleans()):
            lines.append("    <<: *base")
        lines.extend(draw(_yaml_block(1, 4)))
    for top in draw(st.lists(st.sampled_from(["networks", "volumes", "secrets", "configs", "include", "name"]),
                             max_size=2)):
        lines.append(f"{top}:")
        lines.extend(draw(_yaml_block(2, 2)))
    return draw(st.sampled_from(["\n", "\r\n"])).join(lines) + draw(st.sampled_from(["\n", "", "\n---\n"]))


# -- devcontainer.json ------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-5, 70000), st.sampled_from([
        "python:3.12", "mcr.microsoft.com/devcontainers/base:ubuntu", "Dockerfile", "..", "${localEnv:HOME}",
        "${containerWorkspaceFolder}", "${localWorkspaceFolder}/x", "vscode", "root", "app", "8080:80",
        "source=${localWorkspaceFolder},target=/w,type=bind", "echo hi", "docker-compose.yml", "${devcontainerId}"])),
    lambda children: st.one_of(st.lists(children, max_size=3), st.dictionaries(st.sampled_from(
        ["image", "dockerFile", "build", "context", "args", "target", "forwardPorts", "features", "mounts",
         "postCreateCommand", "remoteUser", "containerEnv", "runArgs", "dockerComposeFile", "service",
         "workspaceFolder", "customizations", "shutdownAction", "onCreateCommand", "appPort", "x"]),
        children, max_size=4)),
    max_leaves=12,
)


@st.composite
def devcontainers(draw) -> str:
    top = draw(st.dictionaries(st.sampled_from(["name", "image", "build", "dockerComposeFile", "service",
                                                "forwardPorts", "features", "mounts", "remoteUser",
                                                "postCreateCommand", "runArgs", "workspaceFolder", "containerEnv"]),
                               JSON_VALUES, max_size=6))
    text = json.dumps(top, indent=draw(st.sampled_from([None, 2, 4])), ensure_ascii=draw(st.booleans()))
    # JSONC: comments and trailing commas where JSON would not have them.
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(["// c\n", "/* c */", ",", "\n", "/*", "//"])) + text[at:]
    return text


GRAMMARS = {"dockerfile": dockerfiles, "compose": composes, "devcontainer": devcontainers}

# -- mutations --------------------------------------------------------------------------------------

TOKENS = ["\\\n", "\\", "`\n", "\n", "\r\n", "\r", "\t", " ", "<<EOF\n", "EOF\n", "${", "}", "$", "\"", "'", ":",
          "- ", "  ", "<<: *a\n", "&a ", "*a", "# escape=`\n", "# syntax=x\n", "\x00", "\ufeff", "😀", "{", "}",
          "[", "]", ",", "//", "/*", "*/", "#", "=", "FROM ", "AS ", "RUN ", "ONBUILD ", "COPY --from=", "\u2028",
          "\x85", "\x0c", "\x1c", "é"]


@st.composite
def mutated(draw, kind: str) -> str | bytes:
    text = draw(st.sampled_from(seeds(kind)))
    for _ in range(draw(st.integers(1, 4))):
        n = len(text)
        a = draw(st.integers(0, n))
        b = draw(st.integers(a, min(n, a + 40)))
        op = draw(st.integers(0, 5))
        if op == 0:
            text = text[:a] + text[b:]  # delete
        elif op == 1:
            text = text[:a] + draw(st.sampled_from(TOKENS)) + text[a:]  # insert a token
        elif op == 2:
            text = text[:b] + text[a:b] + text[b:]  # repeat a slice
        elif op == 3:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        elif op == 4:
            text = text[:a] + text[a:b].swapcase() + text[b:]
        else:
            text = text[:a] + draw(WORDS) + text[b:]  # replace a slice by a word
    if draw(st.integers(0, 15)) == 0:  # bytes that are not UTF-8
        raw = bytearray(text.encode("utf-8"))
        raw.insert(draw(st.integers(0, len(raw))), draw(st.sampled_from([0xFF, 0xC3, 0x80, 0xED])))
        return bytes(raw)
    return text


def inputs(kind: str):
    """A generated file of ``kind``, or a mutated seed."""
    return st.one_of(GRAMMARS[kind](), mutated(kind))


# -- edit sequences (the editor's incremental changes) ---------------------------------------------

@st.composite
def edits(draw, text: str) -> list[tuple[int, int, str]]:
    """A few (start, end, new text) replacements, each in the text the previous ones left."""
    out = []
    size = len(text)
    for _ in range(draw(st.integers(1, 6))):
        a = draw(st.integers(0, size))
        b = draw(st.integers(a, min(size, a + draw(st.sampled_from([0, 0, 1, 5, 30])))))
        new = draw(st.one_of(st.sampled_from(TOKENS + ["x", "", "RUN apt-get install -y curl\n", "FROM a AS b\n",
                                                        "ARG V=1\n", "\\\n  n"]), WORDS))
        out.append((a, b, new))
        size += len(new) - (b - a)
    return out
