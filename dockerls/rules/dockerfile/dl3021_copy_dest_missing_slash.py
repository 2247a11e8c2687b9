from dockerls.finding import SAFE, Edit, Fix
from dockerls.rules.base import ERROR, Rule
from dockerls.rules.dockerfile._instructions import drop_quotes, sources_and_dest


class CopyDestMissingSlash(Rule):
    """`COPY` or `ADD` with several sources whose destination does not end with `/`.

    ## Why
    With more than one source the destination can only be a directory.  The classic builder (and
    tools built on it) refuses to build unless the destination says so with a trailing `/`;
    BuildKit quietly treats it as a directory.  The same Dockerfile then builds in one place and
    fails in another, and readers may take `/app` for a file name.

    ## Example
    ```Dockerfile
    FROM node:22-slim
    COPY package.json package-lock.json /app
    ```

    ## Fix
    Add the trailing slash: `COPY package.json package-lock.json /app/`.  The quick fix adds it;
    it is safe, since BuildKit already copies into a directory there.

    ## Compared with hadolint
    hadolint checks `COPY` only; the same requirement holds for `ADD`, so dockerls checks both.
    A Windows folder ending in a backslash (`COPY a b C:\\app\\` under `# escape=``) is a
    folder for dockerls; hadolint reports it.
    """

    code = "DL3021"
    name = "copy-dest-missing-slash"
    severity = ERROR
    scope = "stage"
    instructions = frozenset({"COPY", "ADD"})
    fixable = True

    def check(self, ins):
        sources, dest = sources_and_dest(ins)
        if len(sources) < 2 or drop_quotes(dest.value).endswith("/") or drop_quotes(dest.raw).endswith("\\"):
            return None  # a trailing `\` is a Windows folder (`C:\app\`, under `# escape=``)
        raw = dest.raw
        at = dest.range.end_offset - (1 if raw[-1:] in ("'", '"') and len(raw) > 1 else 0)
        return [self.finding(dest.range, f"{ins.keyword} with more than 2 arguments requires the last argument to "
                             f"end with /: '{dest.value}' receives {len(sources)} sources",
                             fix=Fix("Add a trailing / to the destination", [Edit(at, at, "/")], SAFE))]
