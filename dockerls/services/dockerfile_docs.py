"""Short reference texts for Dockerfile instructions, their flags and the parser directives.

Written for dockerls (hover, completion, signature help); each entry says what the thing does and
the one or two facts people get wrong, not everything there is to know.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FlagDoc:
    name: str  # without the dashes
    summary: str
    values: tuple[str, ...] = ()  # values offered after ``--name=``
    placeholder: str = "value"  # shown in syntax: ``--name=<placeholder>``
    takes_value: bool = True


@dataclass(frozen=True)
class InstructionDoc:
    keyword: str
    summary: str
    details: str
    forms: tuple[tuple[str, ...], ...]  # syntax forms; each a keyword followed by parameter labels
    snippet: str  # what completion inserts after the keyword (LSP snippet syntax)
    flags: tuple[FlagDoc, ...] = ()
    example: str = ""

    def flag(self, name: str) -> FlagDoc | None:
        name = name.lower()
        return next((f for f in self.flags if f.name == name), None)


@dataclass(frozen=True)
class DirectiveDoc:
    name: str
    summary: str
    details: str
    values: tuple[str, ...] = field(default=())
    example: str = ""


_PLATFORM = FlagDoc(
    "platform", "The platform of the image to use, e.g. `linux/amd64` or `$BUILDPLATFORM` for tools that run "
    "on the build machine in a cross-build.",
    ("$BUILDPLATFORM", "$TARGETPLATFORM", "linux/amd64", "linux/arm64", "linux/arm/v7"), "platform")
_CHOWN = FlagDoc("chown", "Owner of the copied files as `user[:group]` (names or numeric ids); without it "
                 "they belong to root.", (), "user:group")
_CHMOD = FlagDoc("chmod", "Permission bits of the copied files, octal (`755`) or symbolic (`u=rwx,go=rx`).",
                 ("644", "755", "0755"), "mode")
_LINK = FlagDoc("link", "Copy into a layer of its own that does not depend on the layers below, so it survives "
                "a change of the base image in the cache.", takes_value=False)
_EXCLUDE = FlagDoc("exclude", "A path pattern to leave out of the copy; repeat for more patterns.", (), "pattern")

INSTRUCTIONS: dict[str, InstructionDoc] = {d.keyword: d for d in (
    InstructionDoc(
        "FROM", "Starts a build stage from a base image (or `scratch`, or an earlier stage).",
        "Every stage begins with FROM; `AS name` lets later instructions refer to the stage (`COPY --from=name`, "
        "`FROM name`). Only global ARGs (declared before the first FROM) can be used in a FROM line.",
        (("FROM", "[--platform=<platform>]", "<image>[:<tag>|@<digest>]", "[AS <name>]"),),
        "${1:image}:${2:tag}",
        (_PLATFORM,),
        "FROM --platform=$BUILDPLATFORM golang:1.23 AS build",
    ),
    InstructionDoc(
        "RUN", "Runs a command in a new layer on top of the image so far.",
        "The shell form runs under `/bin/sh -c` (or the SHELL set); the exec form `[\"prog\", \"arg\"]` runs the "
        "program directly, without variable expansion. Files deleted in a later RUN still take space in the "
        "layer that created them, so clean up in the same RUN.",
        (("RUN", "[--mount=<mount>]", "[--network=<mode>]", "<command>"),
         ("RUN", "[--mount=<mount>]", "[\"<executable>\", \"<param>\", ...]")),
        "${1:command}",
        (FlagDoc("mount", "Mounts something for this RUN only: `type=cache` (a cache kept between builds), "
                 "`type=bind` (files from the context or a stage), `type=secret`, `type=ssh` or `type=tmpfs`.",
                 ("type=cache,target=", "type=bind,source=,target=", "type=secret,id=", "type=ssh",
                  "type=tmpfs,target="), "mount"),
         FlagDoc("network", "The network this RUN sees: `default`, `none` (no network at all) or `host`.",
                 ("default", "none", "host"), "mode"),
         FlagDoc("security", "`insecure` runs the command with extended privileges (needs the "
                 "`security.insecure` entitlement); `sandbox` is the default.", ("sandbox", "insecure"), "mode")),
        "RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt",
    ),
    InstructionDoc(
        "CMD", "The default command (or default arguments to ENTRYPOINT) of a container.",
        "Only the last CMD counts. Prefer the exec form: in the shell form the command runs as a child of "
        "`/bin/sh` and does not receive signals such as SIGTERM.",
        (("CMD", "[\"<executable>\", \"<param>\", ...]"), ("CMD", "[\"<param>\", ...]"), ("CMD", "<command>")),
        "[\"${1:executable}\"]",
        example='CMD ["python", "-m", "app"]',
    ),
    InstructionDoc(
        "LABEL", "Adds metadata to the image as `key=value` pairs.",
        "Keys are usually reverse-DNS names such as `org.opencontainers.image.source`; quote values with "
        "spaces. Labels of the base image are inherited.",
        (("LABEL", "<key>=<value>", "..."),),
        "${1:key}=\"${2:value}\"",
        example='LABEL org.opencontainers.image.source="https://example.com/repo"',
    ),
    InstructionDoc(
        "MAINTAINER", "Deprecated: names the author of the image.",
        "Use `LABEL org.opencontainers.image.authors=\"...\"` instead.",
        (("MAINTAINER", "<name>"),),
        "${1:name}",
    ),
    InstructionDoc(
        "EXPOSE", "Documents the ports the container listens on.",
        "It publishes nothing by itself: `docker run -p` or a compose `ports:` entry does. The protocol "
        "defaults to tcp (`8080/udp` for udp).",
        (("EXPOSE", "<port>[/<protocol>]", "..."),),
        "${1:port}",
        example="EXPOSE 8080 8443/tcp",
    ),
    InstructionDoc(
        "ENV", "Sets environment variables for the rest of the stage and for containers run from the image.",
        "Use `key=value` pairs; the old `ENV key value` form sets one variable. Values persist in the image, "
        "so do not put secrets here (use a RUN `--mount=type=secret`).",
        (("ENV", "<key>=<value>", "..."), ("ENV", "<key>", "<value>")),
        "${1:NAME}=${2:value}",
        example="ENV PATH=/opt/app/bin:$PATH",
    ),
    InstructionDoc(
        "ADD", "Copies files, URLs or git repositories into the image; local tar archives are unpacked.",
        "Use COPY for plain files: ADD's unpacking and downloading are easy to trigger by accident. A remote "
        "file can be pinned with `--checksum`.",
        (("ADD", "[--chown=<user>:<group>]", "[--chmod=<mode>]", "[--checksum=<hash>]", "<src>", "...", "<dest>"),
         ("ADD", "[--chown=<user>:<group>]", "[\"<src>\", ...", "\"<dest>\"]")),
        "${1:source} ${2:destination}",
        (_CHOWN, _CHMOD, _LINK, _EXCLUDE,
         FlagDoc("checksum", "The expected digest of a remote source, `sha256:<hex>`; the build fails if it differs.",
                 ("sha256:",), "hash"),
         FlagDoc("keep-git-dir", "Keep the `.git` folder when the source is a git repository.", ("true", "false"),
                 "bool"),
         FlagDoc("unpack", "Whether a local or remote archive is extracted (`true`) or copied as a file.",
                 ("true", "false"), "bool")),
        "ADD --checksum=sha256:... https://example.com/tool.tar.gz /opt/",
    ),
    InstructionDoc(
        "COPY", "Copies files from the build context or another stage into the image.",
        "Sources are relative to the context (or to the stage given by `--from`); a destination ending in "
        "`/` is a folder. What `.dockerignore` excludes cannot be copied.",
        (("COPY", "[--from=<stage>]", "[--chown=<user>:<group>]", "[--chmod=<mode>]", "<src>", "...", "<dest>"),
         ("COPY", "[--from=<stage>]", "[--chown=<user>:<group>]", "[\"<src>\", ...", "\"<dest>\"]")),
        "${1:source} ${2:destination}",
        (FlagDoc("from", "Copy from a build stage (by name or index), an image or a named context instead of "
                 "the build context.", (), "stage"),
         _CHOWN, _CHMOD, _LINK, _EXCLUDE,
         FlagDoc("parents", "Keep the source paths' parent folders under the destination.", takes_value=False)),
        "COPY --from=build /src/app /usr/local/bin/app",
    ),
    InstructionDoc(
        "ENTRYPOINT", "The program a container runs; CMD supplies its default arguments.",
        "Use the exec form so that the program is PID 1 and receives signals; the shell form ignores CMD and "
        "`docker run` arguments.",
        (("ENTRYPOINT", "[\"<executable>\", \"<param>\", ...]"), ("ENTRYPOINT", "<command>")),
        "[\"${1:executable}\"]",
        example='ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]',
    ),
    InstructionDoc(
        "VOLUME", "Declares mount points whose data lives outside the container's layer.",
        "Changes made to a volume path by later instructions of the build are discarded.",
        (("VOLUME", "[\"<path>\", ...]"), ("VOLUME", "<path>", "...")),
        "${1:/data}",
    ),
    InstructionDoc(
        "USER", "Sets the user (and optionally group) for the following RUN, CMD and ENTRYPOINT.",
        "Numeric ids work even when the name does not exist in `/etc/passwd`; end the image as a non-root user.",
        (("USER", "<user>[:<group>]"),),
        "${1:user}",
    ),
    InstructionDoc(
        "WORKDIR", "Sets the working folder for the following instructions, creating it if needed.",
        "Use absolute paths; a relative one is resolved against the previous WORKDIR. Prefer it to `RUN cd`.",
        (("WORKDIR", "<path>"),),
        "${1:/app}",
    ),
    InstructionDoc(
        "ARG", "Declares a build argument, settable with `--build-arg`, with an optional default.",
        "ARGs before the first FROM are global and usable only in FROM lines unless a stage declares them "
        "again (`ARG NAME`). Unlike ENV they do not persist into the image, but they do show in its history.",
        (("ARG", "<name>[=<default>]", "..."),),
        "${1:NAME}",
        example="ARG VERSION=1.0",
    ),
    InstructionDoc(
        "ONBUILD", "Registers an instruction to run when another Dockerfile builds FROM this image.",
        "The trigger runs in the child build, right after its FROM. FROM, MAINTAINER and ONBUILD itself are "
        "not allowed as triggers.",
        (("ONBUILD", "<instruction>"),),
        "${1:RUN} ${2:command}",
    ),
    InstructionDoc(
        "STOPSIGNAL", "The signal sent to stop the container (default SIGTERM).",
        "A name (`SIGQUIT`) or a number (`3`).",
        (("STOPSIGNAL", "<signal>"),),
        "${1:SIGTERM}",
    ),
    InstructionDoc(
        "HEALTHCHECK", "A command the engine runs to decide whether the container is healthy.",
        "Exit status 0 means healthy, 1 unhealthy. `HEALTHCHECK NONE` turns off a check inherited from the "
        "base image. Only the last HEALTHCHECK counts.",
        (("HEALTHCHECK", "[--interval=<duration>]", "[--timeout=<duration>]", "[--retries=<n>]", "CMD", "<command>"),
         ("HEALTHCHECK", "NONE")),
        "CMD ${1:command}",
        (FlagDoc("interval", "Time between checks (default 30s).", ("30s",), "duration"),
         FlagDoc("timeout", "How long one check may take before it counts as failed (default 30s).", ("30s",),
                 "duration"),
         FlagDoc("start-period", "Grace time after start during which failures do not count (default 0s).",
                 ("0s",), "duration"),
         FlagDoc("start-interval", "Time between checks during the start period (default 5s).", ("5s",),
                 "duration"),
         FlagDoc("retries", "Consecutive failures before the container is unhealthy (default 3).", ("3",), "n")),
        "HEALTHCHECK --interval=30s CMD curl -f http://localhost/ || exit 1",
    ),
    InstructionDoc(
        "SHELL", "Sets the shell used by the shell form of RUN, CMD and ENTRYPOINT.",
        "Must be a JSON array, e.g. `[\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]`; it applies to the following "
        "instructions of the stage.",
        (("SHELL", "[\"<executable>\", \"<param>\", ...]"),),
        "[\"${1:/bin/bash}\", \"-c\"]",
    ),
)}

MOUNT_TYPES: dict[str, tuple[str, ...]] = {
    "bind": ("target", "source", "from", "rw", "readwrite"),
    "cache": ("target", "id", "sharing", "from", "source", "mode", "uid", "gid", "ro", "readonly"),
    "tmpfs": ("target", "size"),
    "secret": ("id", "target", "env", "required", "mode", "uid", "gid"),
    "ssh": ("id", "target", "required", "mode", "uid", "gid"),
}

DIRECTIVES: dict[str, DirectiveDoc] = {d.name: d for d in (
    DirectiveDoc(
        "syntax", "Chooses the Dockerfile frontend (parser version) the build uses.",
        "Must be among the first lines, before any instruction or other comment. `docker/dockerfile:1` follows "
        "the newest stable 1.x syntax.", ("docker/dockerfile:1",), "# syntax=docker/dockerfile:1"),
    DirectiveDoc(
        "escape", "Sets the escape character: `\\` (the default) or `` ` `` (handy on Windows paths).",
        "It changes how line continuations and escapes are read in the whole file.", ("\\", "`"),
        "# escape=`"),
    DirectiveDoc(
        "check", "Configures BuildKit's build checks for this file.",
        "`skip=Rule1,Rule2` (or `skip=all`) turns checks off; `error=true` makes a failing check fail the build.",
        ("skip=", "error=true"), "# check=skip=JSONArgsRecommended;error=true"),
)}


def instruction_markdown(keyword: str) -> str | None:
    doc = INSTRUCTIONS.get(keyword.upper())
    if doc is None:
        return None
    parts = [f"**{doc.keyword}**: {doc.summary}", doc.details,
             "```Dockerfile\n" + "\n".join(" ".join(form) for form in doc.forms) + "\n```"]
    if doc.flags:
        parts.append("\n".join(f"- `--{f.name}`: {f.summary}" for f in doc.flags))
    if doc.example:
        parts.append("Example:\n```Dockerfile\n" + doc.example + "\n```")
    return "\n\n".join(parts)


def flag_markdown(keyword: str, flag: str) -> str | None:
    doc = INSTRUCTIONS.get(keyword.upper())
    f = doc.flag(flag) if doc else None
    if doc is None or f is None:
        return None
    syntax = f"--{f.name}=<{f.placeholder}>" if f.takes_value else f"--{f.name}"
    text = f"**{doc.keyword} `{syntax}`**: {f.summary}"
    if f.values and f.placeholder not in ("stage", "pattern", "user:group", "hash"):
        text += "\n\nValues: " + ", ".join(f"`{v}`" for v in f.values)
    return text


def directive_markdown(name: str) -> str | None:
    d = DIRECTIVES.get(name.lower())
    if d is None:
        return None
    return f"**`# {d.name}=`** parser directive: {d.summary}\n\n{d.details}\n\n```Dockerfile\n{d.example}\n```"
