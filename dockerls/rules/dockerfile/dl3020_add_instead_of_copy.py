from dockerls.finding import SAFE, UNSAFE, Edit, Fix
from dockerls.rules.base import ERROR, Rule
from dockerls.rules.dockerfile._instructions import is_archive, is_remote, resolve_known, sources_and_dest

# ADD flags that COPY also has; any other flag (--checksum, --keep-git-dir, --unpack) blocks the fix.
COPY_FLAGS = frozenset({"chown", "chmod", "link", "exclude"})
GLOB_CHARS = frozenset("*?[")


def _glob_may_match_archive(source: str) -> bool:
    """``*.txt`` cannot match an archive name; ``*``, ``dir/*`` or ``data.*`` can."""
    tail = source.rsplit("/", 1)[-1]
    if not GLOB_CHARS & set(tail):
        return False
    suffix = tail[max(tail.rfind("*"), tail.rfind("?"), tail.rfind("]")) + 1 :]
    return "." not in suffix or is_archive(suffix)


class AddInsteadOfCopy(Rule):
    """`ADD` copies local files or folders: use `COPY`.

    ## Why
    `ADD` does more than copy: it downloads URLs, clones git repositories and unpacks local tar
    archives.  For plain files that extra behaviour is a trap (a file that happens to be a tar is
    unpacked) and it hides intent.  `COPY` says exactly what happens.

    `ADD` is left alone when every source is an archive it unpacks, a URL or a git source.
    Sources written with variables are judged by their default values when those are known.

    ## Example
    ```Dockerfile
    FROM python:3.12-slim
    ADD requirements.txt /app/
    ```

    ## Fix
    Write `COPY` instead of `ADD`.  The quick fix does that; it is safe when the sources are
    plain local names, and marked unsafe when a source is a variable without a known value or a
    wildcard that could match an archive (which `ADD` would have unpacked).  No fix is offered
    when the `ADD` mixes archives or URLs with plain files, or uses `ADD`-only flags.  (`ADD`
    recognises a tar archive by its content, so a tar file saved without an archive extension
    would no longer be unpacked; names are all a linter can go by.)

    ## Compared with hadolint
    Same check, except that hadolint 2.15 reports git sources written `git@host:repo.git` or
    `git://...` (which only `ADD` can fetch), and does not expand variables, so
    `ADD ${URL} /x` with `ARG URL=https://...` is reported by hadolint and not by dockerls.
    """

    code = "DL3020"
    name = "add-instead-of-copy"
    severity = ERROR
    scope = "stage"
    instructions = frozenset({"ADD"})
    fixable = True

    def check(self, ins):
        sources, dest = sources_and_dest(ins)
        if dest is None or not sources:
            return None
        local, unknown, kept = [], False, False
        for word in sources:
            value = word.value
            if "$" in value:
                resolved = resolve_known(self.ctx, ins, value)
                if resolved is None:
                    unknown = True
                else:
                    value = resolved
            if is_archive(value) or is_remote(value):
                kept = True
            else:
                local.append((word, value))
        if not local:
            return None
        names = ", ".join(f"'{w.value}'" for w, _ in local)
        return [self.finding(ins.keyword_range, f"Use COPY instead of ADD for files and folders: {names} "
                             f"{'is' if len(local) == 1 else 'are'} copied as is",
                             fix=None if kept else self._fix(ins, local, unknown))]

    def _fix(self, ins, local, unknown) -> Fix | None:
        if any(f.name.lower() not in COPY_FLAGS for f in ins.flags):
            return None
        risky = unknown or any(_glob_may_match_archive(value) for _, value in local)
        kw = ins.keyword_range
        edit = Edit(kw.start_offset, kw.end_offset, _same_case("COPY", ins.keyword_text))
        return Fix("Replace ADD with COPY", [edit], UNSAFE if risky else SAFE)


def _same_case(keyword: str, written: str) -> str:
    return keyword.lower() if written.islower() else keyword
