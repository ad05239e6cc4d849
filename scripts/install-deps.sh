#!/usr/bin/env bash
# Installs the Debian 12 packages Stallbox needs to build, test and run its demo.
#
#   scripts/install-deps.sh
#
# As root: runs `apt-get update` once and installs whatever is missing. As another user:
# prints the exact `sudo apt-get install ...` line and exits 1 if anything is missing.
# When every package is already installed it does nothing (no apt-get at all), so it is
# cheap to run before every `make test` and `make demo`.
# Set STALLBOX_SKIP_DEPS=1 to skip the check entirely (e.g. on a non-Debian system where
# you installed the equivalents yourself).
set -euo pipefail

# Why each package is here:
#   git ca-certificates          SwiftPM fetches the package dependencies with git over HTTPS
#   libudev-dev libasound2-dev   headers + pkg-config files for the CUdev / CALSA targets
#   libsqlite3-dev               SQLite for GRDB (ledger, reference receiver)
#   zlib1g-dev                   gzip of upload batches (CZlib target)
#   pkg-config                   SwiftPM finds libudev and alsa through it
#   openssl                      throwaway TLS certificates (demo, tests)
#   socat                        tests (a NOTIFY_SOCKET receiver); the diag socket by hand
#   sqlite3                      inspecting a ledger or the receiver's database
#   sox espeak-ng                regenerating the voice pack (scripts/make-voice-pack.sh)
#   alsa-utils                   aplay/arecord for checking a real speaker
#   umockdev libumockdev-dev     udev device and hotplug tests without hardware
#   python3-gi gir1.2-umockdev-1.0  the umockdev testbed controller of the hotplug tests
#                                (Tests/Fixtures/umockdev/testbed.py)
#   udev                         udevadm, to test udev-rules/ (udev-rules/tests/udevadm-test.sh)
#   systemd                      systemd-analyze, to check the unit in systemd/
#   python3                      the reference decoder, vector tools, demo summary
#   python3-cryptography         Ed25519 for firmware-protocols/upstream/tools/make_vectors.py
#   make                         the Makefile
#   gcc                          builds the ALSA test plugin of the underrun test
#                                (Tests/Fixtures/alsa-underrun)
# Not libasound2-plugins: the `file` and `null` PCM plugins the demo and tests use are
# built into libasound2 itself; the plugins package would pull in libavcodec, JACK and
# PulseAudio for nothing.
PACKAGES=(
  git ca-certificates
  libudev-dev libasound2-dev libsqlite3-dev zlib1g-dev pkg-config
  openssl sqlite3 socat
  sox espeak-ng alsa-utils
  umockdev libumockdev-dev udev python3-gi gir1.2-umockdev-1.0
  systemd python3 python3-cryptography make gcc
)

if [[ "${STALLBOX_SKIP_DEPS:-}" == 1 ]]; then
  exit 0
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
  echo "install-deps: dpkg-query not found; this script knows Debian 12 only." >&2
  echo "install-deps: install the equivalents of: ${PACKAGES[*]}" >&2
  echo "install-deps: then run with STALLBOX_SKIP_DEPS=1." >&2
  exit 1
fi

missing=()
for package in "${PACKAGES[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)"
  [[ "$status" == installed ]] || missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ "$(id -u)" -ne 0 ]]; then
  echo "install-deps: missing Debian packages: ${missing[*]}" >&2
  echo "install-deps: install them with:" >&2
  echo "sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends "${missing[@]}"
