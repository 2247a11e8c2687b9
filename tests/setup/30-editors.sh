# Sourced by tests/run.sh: installs the editors that tests/editors/ drive headless, from Debian's
# packages: Neovim (0.7 on bookworm), Emacs without X with eglot, dockerfile-mode and yaml-mode.
# Only as root and only what is missing; `apt-get update` only when apt knows no candidate for them.
# When it cannot install, it says why on stderr and goes on: the editor tests then skip with a reason.
# (Sourced under `set -euo pipefail`: every command here must be allowed to fail.)

# (No `cmd | grep -q`: under pipefail, grep closing the pipe early makes the pipeline fail.)
_dockerls_has_candidate() {
  local policy
  policy=$(apt-cache policy "$1" 2>/dev/null) || return 1
  [[ "$policy" == *"Candidate: "* && "$policy" != *"Candidate: (none)"* ]]
}

_dockerls_editors_setup() {
  local wanted=() pkg
  command -v nvim >/dev/null 2>&1 || wanted+=(neovim)
  command -v emacs >/dev/null 2>&1 || wanted+=(emacs-nox)
  for pkg in elpa-eglot elpa-dockerfile-mode elpa-yaml-mode; do
    [[ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" == *"ok installed"* ]] || wanted+=("$pkg")
  done
  [ "${#wanted[@]}" -eq 0 ] && return 0

  if ! command -v apt-get >/dev/null 2>&1; then
    echo "tests/setup/30-editors.sh: no apt-get; not installing ${wanted[*]} (the editor tests skip)" >&2
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "tests/setup/30-editors.sh: not root; not installing ${wanted[*]} (the editor tests skip)" >&2
    return 0
  fi
  # Only packages apt has a candidate for; refresh the lists once if it has none for one of them.
  local candidates=() missing=0
  for pkg in "${wanted[@]}"; do
    _dockerls_has_candidate "$pkg" || missing=1
  done
  if [ "$missing" -eq 1 ]; then
    echo "tests/setup/30-editors.sh: apt-get update (no candidate for some of: ${wanted[*]})" >&2
    apt-get update -qq >/dev/null 2>&1 || echo "tests/setup/30-editors.sh: apt-get update failed" >&2
  fi
  for pkg in "${wanted[@]}"; do
    if _dockerls_has_candidate "$pkg"; then
      candidates+=("$pkg")
    else
      echo "tests/setup/30-editors.sh: Debian has no package $pkg here; skipping it" >&2
    fi
  done
  [ "${#candidates[@]}" -eq 0 ] && return 0
  echo "tests/setup/30-editors.sh: installing ${candidates[*]}" >&2
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${candidates[@]}" \
      >/dev/null 2>/tmp/dockerls-editors-apt.log; then
    echo "tests/setup/30-editors.sh: apt-get install ${candidates[*]} failed (see /tmp/dockerls-editors-apt.log);" \
         "the editor tests that need them skip" >&2
  fi
  return 0
}
_dockerls_editors_setup || true
unset -f _dockerls_editors_setup _dockerls_has_candidate
