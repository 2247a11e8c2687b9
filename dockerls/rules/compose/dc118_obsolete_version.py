from dockerls.finding import SAFE, Edit, Fix
from dockerls.rules.base import WARNING
from dockerls.rules.compose._base import ComposeRule


class ObsoleteVersion(ComposeRule):
    """The top-level `version` key is obsolete.

    ## Why
    Compose ignores `version` since the Compose Specification replaced the v2/v3 file formats,
    and prints a warning ("the attribute `version` is obsolete") on every command.  It also
    misleads readers into thinking features are limited to that format version.

    ## Example
    ```yaml
    version: "3.8"
    services:
      web:
        image: nginx:1.27
    ```

    ## Fix
    Remove the line (the fix does this).
    """

    code = "DC118"
    name = "obsolete-version"
    severity = WARNING
    fixable = True
    tags = ("deprecated",)

    def finish(self):
        for file in self.project.files:
            if file.role not in ("main", "include", "extends") or not hasattr(file.root, "pair"):
                continue
            pair = file.root.pair("version")
            if pair is None or pair.merged:
                continue
            doc = file.doc
            fix = None
            if doc is self.project.main.doc and not file.root.flow:
                lines = doc.lines
                first = lines.position(pair.key.start).line
                last = lines.position(max(pair.value.end, pair.key.end)).line
                end = lines.line_starts[last + 1] if last + 1 < lines.line_count else len(doc.text)
                start = lines.line_starts[first]
                if not doc.text[:start].strip():
                    # At the top of the file: the blank lines after it go too, not to leave the
                    # file starting with an empty line.
                    while last + 1 < lines.line_count and not lines.line_text(last + 1).strip():
                        last += 1
                        end = lines.line_starts[last + 1] if last + 1 < lines.line_count else len(doc.text)
                if not doc.text[start : pair.key.start].strip():
                    fix = Fix("Remove `version`", [Edit(start, end, "")], SAFE)
            yield self.report(pair.key, "`version` is obsolete: Compose ignores it and warns", fix)
