from dockerls.finding import SAFE, Fix
from dockerls.rules.base import INFO, Rule
from dockerls.rules.dockerfile._packages import (
    APK, RUN_KEYWORDS, calls, command_range, delete_word, insert_after, mount_targets, run_of,
)

_ADD = frozenset({"add"})
_UPDATE = frozenset({"-U", "--update", "--update-cache"})
_CACHE_DIRS = ("/var/cache/apk", "/etc/apk/cache")


class ApkNoCache(Rule):
    """`apk add` without `--no-cache`.

    ## Why
    `apk add` keeps the downloaded package index (and, with a cache directory set up, the
    packages) under `/var/cache/apk`.  Nothing in the running container needs them, yet they stay
    in the layer unless the same RUN deletes them.  `--no-cache` fetches a fresh index, uses it
    and keeps nothing, so it also replaces `apk update` / `--update`.

    Not reported: `apk add --no-network`, which downloads nothing, and a RUN with a cache mount on
    `/var/cache/apk` (or `/etc/apk/cache`), where the cache lives outside the image on purpose.

    ## Example
    ```Dockerfile
    FROM alpine:3.20
    RUN apk add --update curl=8.9.1-r1
    ```

    ## Fix
    `apk add --no-cache curl=8.9.1-r1`.  The quick fix inserts `--no-cache` after `add` and drops
    `--update`/`-U`, which `--no-cache` makes redundant.  It is safe: the same packages are
    installed from an index that is at least as fresh.

    ## Compared with hadolint
    hadolint also reports `apk add --no-network` (the official images use it to mark run-time
    dependencies that are already on disk), where nothing is downloaded.  dockerls also looks
    inside `sh -c "..."` and behind `xargs`, and accepts a cache mount on `/etc/apk/cache`.
    """

    code = "DL3019"
    name = "apk-no-cache"
    severity = INFO
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS
    fixable = True

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        found = []
        for call in calls(self.ctx, run, APK, _ADD):
            if call.has_flag("--no-cache", "--no-network"):
                continue
            if any(t.startswith(_CACHE_DIRS) for t in mount_targets(run)):
                return None
            edits = [insert_after(self.ctx, run, call.verb, " --no-cache")]
            edits += [delete_word(self.ctx, run, w) for w in call.cmd.args if w.value in _UPDATE]
            found.append(self.finding(
                command_range(self.ctx, run, call.cmd.words[0], call.verb),
                "Use the `--no-cache` switch to avoid the need to use `--update` and remove "
                "`/var/cache/apk/*` when done installing packages",
                fix=Fix("Use apk add --no-cache", edits, SAFE) if all(edits) else None,
            ))
        return found
