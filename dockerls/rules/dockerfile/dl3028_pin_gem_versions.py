import dataclasses

from dockerls.rules.base import WARNING, Rule
from dockerls.rules.dockerfile._packages import GEM, RUN_KEYWORDS, Call, calls, pin_findings, run_of

_INSTALL = frozenset({"install", "i"})


def _pinned(name: str) -> bool:
    return ":" in name or name.endswith(".gem")  # rails:7.1.3, or a local .gem file


def _gem_names(call: Call) -> Call:
    """``call`` with only the words that name gems: what follows ``--`` goes to the gems' build
    (``gem install nokogiri:1.16 -- --use-system-libraries``), and a ``true``/``false`` right after
    an option is that option's value."""
    words = call.cmd.words
    end = next((i for i, w in enumerate(words) if w.value == "--"), len(words))
    kept_ids = {id(w) for i, w in enumerate(words[:end])
                if not (w.value in ("true", "false") and i > 0 and words[i - 1].value.startswith("-"))}
    return dataclasses.replace(call, operands=[w for w in call.operands if id(w) in kept_ids])


class PinGemVersions(Rule):
    """`gem install` of a gem without a version.

    ## Why
    `gem install rails` installs the newest release at build time, so two builds of the same
    Dockerfile can get different major versions, and a rebuild can break with no change in your
    files.

    `gem:version` and local `.gem` files count as pinned, and so does every gem of a command with
    `-v`/`--version`.  Words after `--` are options for building the gems' extensions, not gems.

    ## Example
    ```Dockerfile
    FROM ruby:3.3-slim
    RUN gem install rails
    ```

    ## Fix
    `gem install rails:7.1.3` or `gem install rails -v 7.1.3`; for an application, a `Gemfile.lock`
    and `bundle install` pin every dependency.

    ## Compared with hadolint
    dockerls skips the values of options (`-i /usr/local/gems`, `--source URL`) that hadolint
    takes for gem names, accepts local `.gem` files, reports each gem on its own word and looks
    inside `sh -c "..."`.
    """

    code = "DL3028"
    name = "pin-gem-versions"
    severity = WARNING
    scope = "stage"
    per_instruction = True
    instructions = RUN_KEYWORDS

    def check(self, ins):
        run = run_of(ins)
        if run is None:
            return None
        found = [_gem_names(c) for c in calls(self.ctx, run, GEM, _INSTALL) if not c.has_flag("-v", "--version")]
        return pin_findings(self, run, found, _pinned, "Pin versions in gem install", ":", noun="gem")
