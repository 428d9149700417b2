#!/usr/bin/env bash
# Installs the Debian packages a task needs and the machine lacks (apt-get update first), quietly:
# apt's log is shown only when the install fails.
#   bash scripts/host-packages.sh release   # strip for both Linux targets, zip
#   bash scripts/host-packages.sh test      # the release's, qemu for the linux-arm64 checks, chromium, JUnit checkers
#   bash scripts/host-packages.sh docs      # npm run docs: chromium, asciinema
set -euo pipefail
need=""
want() { # test package: the package is needed when the test fails
  eval "$1" >/dev/null 2>&1 || need="$need $2"
}
release() {
  # The release strips the symbol tables of the Linux Node binaries and zips the Windows archive.
  want 'command -v strip' binutils
  want 'command -v aarch64-linux-gnu-strip' binutils-aarch64-linux-gnu
  want 'command -v zip' zip
}
for task in "$@"; do
  case "$task" in
    release) release ;;
    test)
      release
      # Release checks run the linux-arm64 binary under qemu user emulation.
      want '[ -x /usr/bin/qemu-aarch64-static ]' qemu-user-static
      want '[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ]' 'libc6-arm64-cross libstdc++6-arm64-cross'
      want '[ -e /usr/aarch64-linux-gnu/lib/libatomic.so.1 ]' libatomic1-arm64-cross
      # The HTML report is tested in a real browser.
      want 'command -v chromium' chromium
      # tour --hands-on is tested on a real terminal, as a learner uses it.
      want 'command -v tmux' tmux
      # --junit files are validated against Jenkins' junit-4 schema and read by a real consumer.
      want 'command -v xmllint' libxml2-utils
      want '/usr/bin/python3 -c "import junitparser"' python3-junitparser
      # The README's CI recipe downloads the release with curl (file:// URLs in the test).
      want 'command -v curl' curl ;;
    docs)
      want 'command -v chromium' chromium
      want 'command -v asciinema' asciinema ;;
    *) echo "usage: host-packages.sh release|test|docs" >&2; exit 2 ;;
  esac
done
[ -n "$need" ] || exit 0
if [ "$(id -u)" != 0 ]; then echo "error: these Debian packages are missing:$need (run as root, or install them)" >&2; exit 1; fi
echo "== apt-get install$need"
# shellcheck disable=SC2086
(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need) >/tmp/sts-lab-apt.log 2>&1 \
  || { cat /tmp/sts-lab-apt.log >&2; exit 1; }
