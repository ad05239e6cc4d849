#!/usr/bin/env bash
# Runs udev-rules/60-stallbox.rules with `udevadm test` against a simulated USB-serial
# adapter, without touching this machine's /dev, /run/udev or rules directories.
#
#   udev-rules/tests/udevadm-test.sh [--with-system-rules] [--rules FILE] FIXTURE.umockdev
#
# FIXTURE is a umockdev device description (Tests/Fixtures/umockdev/) with one tty
# device in it. Must run as root. Prints what udev did, one fact a line:
#
#   property KEY=VALUE                  the device's udev properties after the rules
#   node /dev/ttyUSB0 0660 root:dialout  the device node's mode, owner and group
#   link /dev/stallbox/scale-... -> ../ttyUSB0   every symlink udev created
#
# Exit status 0 when udevadm ran, 77 when this machine cannot run the test (not root, or
# unshare, umockdev-run or udevadm missing; the reason goes to stderr), 1 on failure.
#
# How it stays off the host:
#   - everything runs in a private mount namespace (unshare --mount --propagation
#     private); every mount below disappears with it;
#   - /dev, /run and every udev rules directory are fresh tmpfs mounts in there: udev
#     writes device-node permissions and symlinks to /dev, its database to /run/udev/data,
#     and reads rules from the rules directories, so all of that lands on throwaway tmpfs;
#   - before udevadm runs, the script checks that /dev and /run are tmpfs and that its
#     mount namespace is not PID 1's, and refuses to go on otherwise.
#
# Why umockdev and not a fake /sys: udevadm (systemd 252) refuses a syspath whose file
# system is not sysfs ("is outside of sysfs, refusing"), so a plain directory bind-mounted
# over /sys does not work. umockdev-run's preload library makes the testbed look like
# sysfs to it. That library does not redirect udev's writes under /dev (they go to the
# real /dev, which is why /dev must be a private tmpfs here), and a device node it
# emulates is a pty that udev reports as "missing". So the kernel view given to umockdev
# keeps the sysfs tree and the kernel's own uevent properties but drops the fixture's
# node (N:) and links (S:), and the ID_* and DEVLINKS properties other rules would have
# computed; the script creates the node itself (mknod) in the private /dev, and udev sets
# its group and mode for real. ID_PATH and ID_PATH_TAG then come from udev's path_id
# builtin walking the simulated tree, as on a real box.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
rules="$here/../60-stallbox.rules"
system_rules=0

skip() { echo "udevadm-test: skipped: $*" >&2; exit 77; }
fail() { echo "udevadm-test: $*" >&2; exit 1; }

args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --with-system-rules) system_rules=1; shift ;;
    --rules) rules="$2"; shift 2 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done
[[ ${#args[@]} -eq 1 ]] || fail "usage: $0 [--with-system-rules] [--rules FILE] FIXTURE.umockdev"
fixture="$(realpath "${args[0]}")"
rules="$(realpath "$rules")"
[[ -r "$fixture" ]] || fail "cannot read fixture $fixture"
[[ -r "$rules" ]] || fail "cannot read rules $rules"
# The options handed on to the next stage.
pass=(--rules "$rules")
if [[ $system_rules -eq 1 ]]; then pass+=(--with-system-rules); fi

stage="${STALLBOX_UDEVADM_TEST_STAGE:-host}"

# The tty in the fixture: its sysfs path, device name and numbers.
tty_field() {
  awk -v want="$1" 'BEGIN { RS = ""; FS = "\n" }
    $0 ~ /\nE: SUBSYSTEM=tty(\n|$)/ {
      for (i = 1; i <= NF; i++) {
        if (want == "P" && $i ~ /^P: /) { print substr($i, 4); exit }
        if ($i ~ ("^E: " want "=")) { print substr($i, length(want) + 5); exit }
      }
    }' "$fixture"
}

case "$stage" in
host)
  [[ "$(id -u)" -eq 0 ]] || skip "needs root (mknod, mount, unshare)"
  command -v unshare >/dev/null || skip "unshare (util-linux) not found"
  command -v umockdev-run >/dev/null || skip "umockdev-run not found (Debian package umockdev)"
  command -v udevadm >/dev/null || skip "udevadm not found (Debian package udev)"
  [[ -n "$(tty_field P)" ]] || fail "no device with E: SUBSYSTEM=tty in $fixture"
  exec unshare --mount --propagation private \
    env STALLBOX_UDEVADM_TEST_STAGE=namespace "${BASH_SOURCE[0]}" "${pass[@]}" "$fixture"
  ;;

namespace)
  # A private /dev with just what the tools need, and a private /run.
  mount -t tmpfs -o mode=0755,nosuid stallbox-test-dev /dev
  mknod -m 0666 /dev/null c 1 3
  mknod -m 0666 /dev/zero c 1 5
  mknod -m 0666 /dev/urandom c 1 9
  mkdir /dev/pts
  mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts /dev/pts
  ln -s pts/ptmx /dev/ptmx
  mount -t tmpfs -o mode=0755,nosuid stallbox-test-run /run
  mkdir -p /run/udev/rules.d

  # Rules: ours in /run/udev/rules.d (on the private /run); the system's directories are
  # hidden behind empty tmpfs unless asked for, so the result is what our file alone does.
  if [[ $system_rules -eq 0 ]]; then
    for dir in /etc/udev/rules.d /usr/local/lib/udev/rules.d /usr/lib/udev/rules.d /lib/udev/rules.d; do
      if [[ -d "$dir" && ! -L "$dir" ]]; then mount -t tmpfs -o mode=0755 stallbox-test-rules "$dir"; fi
    done
  fi
  install -m 0644 "$rules" /run/udev/rules.d/60-stallbox.rules

  # Refuse to run udevadm anywhere but on the throwaway mounts.
  [[ "$(stat -f -c %T /dev)" == tmpfs ]] || fail "/dev is not the private tmpfs; refusing"
  [[ "$(stat -f -c %T /run)" == tmpfs ]] || fail "/run is not the private tmpfs; refusing"
  [[ "$(readlink /proc/self/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ]] || fail "not in a private mount namespace; refusing"

  # The device node, as devtmpfs would have made it: root-only until udev's rules run.
  devname="$(tty_field DEVNAME)"
  devname="/dev/${devname#/dev/}"
  mkdir -p "$(dirname "$devname")"
  mknod -m 0600 "$devname" c "$(tty_field MAJOR)" "$(tty_field MINOR)"

  grep -v -E '^(E: (ID_[A-Z_]*|DEVLINKS)=|N: |S: )' "$fixture" > /run/stallbox-kernel-view.umockdev
  exec umockdev-run -d /run/stallbox-kernel-view.umockdev -- \
    env STALLBOX_UDEVADM_TEST_STAGE=testbed "${BASH_SOURCE[0]}" "${pass[@]}" "$fixture"
  ;;

testbed)
  syspath="/sys$(tty_field P)"
  devname="$(tty_field DEVNAME)"
  devname="/dev/${devname#/dev/}"
  log=/run/stallbox-udevadm-test.log
  if ! udevadm test --action=add "$syspath" >/run/stallbox-udevadm-test.out 2>"$log"; then
    cat "$log" >&2
    fail "udevadm test failed for $syspath"
  fi
  # udevadm test prints a notice, a blank line, then KEY=VALUE lines.
  grep -E '^[A-Za-z_][A-Za-z0-9_.]*=' /run/stallbox-udevadm-test.out | sed 's/^/property /'
  # What udev did to the private /dev; the testbed's preload must not be in the way.
  env -u LD_PRELOAD stat -c "node %n %a %U:%G" "$devname"
  env -u LD_PRELOAD find /dev -path /dev/pts -prune -o -type l ! -name ptmx -printf 'link /dev/%P -> %l\n' | sort
  if [[ -n "${STALLBOX_UDEVADM_TEST_LOG:-}" ]]; then cat "$log" >&2; fi
  ;;

*)
  fail "unknown stage $stage"
  ;;
esac
