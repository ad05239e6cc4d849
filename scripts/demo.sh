#!/usr/bin/env bash
# The whole Stallbox path on this machine, end to end (what `make demo` runs):
#
#   stallbox-sim (a Toledo scale at 9600 7E1 on a pseudo-terminal; SCALE_PROTOCOL and SCALE_LINE
#   pick another emulated scale, found by auto-detection)
#     -> stallboxd (signed SQLite ledger, announcements through the ALSA `file` PCM)
#     -> stallbox-upstream (the reference receiver, HTTPS on 127.0.0.1 with a throwaway CA)
#
# It installs the Debian packages it needs (as root; otherwise it prints the apt-get line
# and stops), builds, starts the three programs, sends four payments (three through the
# upstream, one test payment on the diagnostic socket) plus a second delivery of the first
# one, waits until the weighings are recorded and upstream has acknowledged everything,
# exports and verifies what upstream holds, prints a summary and stops everything it
# started. Results stay in demo/out/; scratch state (keys, databases, socket) in demo/run/.
# Both are recreated on every run. Exits non-zero if any step or check fails.
set -euo pipefail

script_path="${BASH_SOURCE[0]}"
[[ "$script_path" == */* ]] || script_path="./$script_path"
ROOT="$(cd "${script_path%/*}/.." && pwd)"
cd "$ROOT"

RUN="$ROOT/demo/run"
OUT="$ROOT/demo/out"
SOCK="$RUN/diag.sock"
WEIGHTS="1.234,0.856,2.5"
# start + 3 weighings + 4 payments + 4 announcement outcomes
EXPECTED_RECORDS=12

say() { printf '==> %s\n' "$*"; }
die() {
  printf 'demo: FAILED: %s\n' "$*" >&2
  exit 1
}

# ---------------------------------------------------------------- background processes
pids=()
names=()
logs=()

start_bg() { # NAME LOG COMMAND...
  local name="$1" log="$2"
  shift 2
  "$@" >"$log" 2>&1 &
  pids+=("$!")
  names+=("$name")
  logs+=("$log")
}

# Dies (showing the end of its log) if one of the programs we started has exited.
check_alive() {
  local i
  for i in "${!pids[@]}"; do
    if ! kill -0 "${pids[$i]}" 2>/dev/null; then
      echo "demo: ${names[$i]} exited early; the end of ${logs[$i]#"$ROOT"/}:" >&2
      tail -n 20 "${logs[$i]}" >&2 || true
      die "${names[$i]} is not running"
    fi
  done
}

# wait_for WHAT SECONDS COMMAND...: retries COMMAND every 0.2 s.
wait_for() {
  local what="$1" timeout="$2"
  shift 2
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    check_alive
    ((SECONDS < deadline)) || die "timed out after ${timeout} s waiting for $what"
    sleep 0.2
  done
}

cleanup() {
  local status=$?
  set +e
  trap - EXIT INT TERM
  if ((${#pids[@]} > 0)); then
    say "stopping what the demo started"
    local i deadline
    # One at a time in reverse start order: the daemon first (it finishes the record in
    # hand while its scale and its upstream are still there), the receiver last.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
      kill -TERM "${pids[$i]}" 2>/dev/null
      deadline=$((SECONDS + 10))
      while kill -0 "${pids[$i]}" 2>/dev/null && ((SECONDS < deadline)); do
        sleep 0.1
      done
      if kill -0 "${pids[$i]}" 2>/dev/null; then
        echo "demo: ${names[$i]} did not stop within 10 s of SIGTERM; killing it" >&2
        kill -KILL "${pids[$i]}" 2>/dev/null
      fi
      wait "${pids[$i]}" 2>/dev/null
      printf '    %-18s exit %s\n' "${names[$i]}" "$?"
    done
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- packages, build
say "checking Debian packages (scripts/install-deps.sh)"
"$ROOT/scripts/install-deps.sh"

say "building (swift build)"
swift build
BIN="$(swift build --show-bin-path)"
for tool in stallboxd stallctl stallbox-upstream stallbox-sim; do
  [[ -x "$BIN/$tool" ]] || die "$BIN/$tool was not built"
done

# ---------------------------------------------------------------- fresh state
rm -rf "$RUN" "$OUT"
mkdir -p "$RUN" "$OUT"
# sun_path holds 108 bytes including the terminating NUL.
((${#SOCK} <= 107)) || die "the diagnostic socket path is too long for a Unix socket (${#SOCK} bytes): $SOCK; run the demo from a shorter directory"

say "making throwaway TLS certificates in demo/run/tls"
"$ROOT/scripts/make-test-certs.sh" "$RUN/tls"

# ---------------------------------------------------------------- upstream
say "starting stallbox-upstream (log: demo/out/upstream.log)"
start_bg stallbox-upstream "$OUT/upstream.log" \
  "$BIN/stallbox-upstream" serve --listen 127.0.0.1:0 \
  --cert "$RUN/tls/server.pem" --key "$RUN/tls/server.key" \
  --db "$RUN/upstream.sqlite" --hold-seconds 5 --port-file "$RUN/upstream.port"
wait_for "the upstream's port file" 30 test -s "$RUN/upstream.port"
PORT="$(tr -d '[:space:]' <"$RUN/upstream.port")"
[[ "$PORT" =~ ^[0-9]+$ ]] || die "unreadable port file: $(cat "$RUN/upstream.port")"
URL="https://127.0.0.1:$PORT"
echo "    listening on $URL"

# ---------------------------------------------------------------- simulated scale
say "starting stallbox-sim with weighings of $WEIGHTS kg (output: demo/out/sim.log)"
start_bg stallbox-sim "$OUT/sim.log" \
  "$BIN/stallbox-sim" --weights "$WEIGHTS" --link "$RUN/scale" --start-delay 2 --protocol "${SCALE_PROTOCOL:-toledo-continuous}" --line "${SCALE_LINE:-9600 7E1}"
sim_ready() { [[ -e "$RUN/scale" && -s "$OUT/sim.log" ]]; }
wait_for "the simulated scale's pseudo-terminal" 30 sim_ready
echo "    scale on $(head -n 1 "$OUT/sim.log") (demo/run/scale links to it)"

# ---------------------------------------------------------------- daemon
cat >"$RUN/stallbox.toml" <<EOF
# Written by scripts/demo.sh; see systemd/stallbox.toml for every key.
[ledger]
path = "$RUN/ledger.sqlite"
key = "$RUN/device.key"

[log]
level = "info"

[[scale]]
name = "scale0"
path = "$RUN/scale"
# No protocol: the daemon finds it (and the line settings) by itself.
stable_ms = 800
zero_band_mg = 5000

[speaker]
pcm = "file:FILE=$OUT/announce-{label}.wav,FORMAT=wav"
voice_pack = "$ROOT/voice-packs/default"

[uplink]
url = "$URL"
ca_file = "$RUN/tls/ca.pem"

[diag]
socket = "$SOCK"
EOF

say "starting stallboxd (log: demo/out/stallboxd.log)"
# Not under systemd here: plain log lines, no sd_notify to whatever unit runs this shell.
start_bg stallboxd "$OUT/stallboxd.log" \
  env -u NOTIFY_SOCKET -u WATCHDOG_USEC -u WATCHDOG_PID -u JOURNAL_STREAM \
  "$BIN/stallboxd" --config "$RUN/stallbox.toml"

identity() { "$BIN/stallctl" identity --socket "$SOCK" >"$OUT/identity.json" 2>/dev/null; }
wait_for "stallboxd's diagnostic socket" 30 identity
read -r DEVICE_ID PUBLIC_KEY < <(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(d["device_id"], d["public_key"])' "$OUT/identity.json") || true
[[ -n "${DEVICE_ID:-}" && -n "${PUBLIC_KEY:-}" ]] || die "unreadable identity: $(cat "$OUT/identity.json")"
echo "    device_id $DEVICE_ID"

# ---------------------------------------------------------------- payments
pay() { # ID AMOUNT CHANNEL
  local reply
  reply="$("$BIN/stallbox-upstream" pay --url "$URL" --ca "$RUN/tls/ca.pem" --device "$DEVICE_ID" \
    --id "$1" --amount "$2" --channel "$3")" || die "stallbox-upstream pay $1 failed"
  printf '%s %s\n' "$1" "$reply" >>"$OUT/payments.log"
  printf '    %-12s %8s %-9s queued upstream\n' "$1" "$2" "$3"
}

payment_recorded() { # ID: is there a payment record with this payment_id in the box's ledger?
  "$BIN/stallctl" export --socket "$SOCK" 2>/dev/null | python3 -c '
import json, sys
sys.exit(0 if any(json.loads(l).get("kind") == "payment" and json.loads(l).get("payment_id") == sys.argv[1]
                  for l in sys.stdin if l.strip()) else 1)' "$1"
}

say "sending payments"
pay demo-pay-1 12.50 alipay
pay demo-pay-2 3.05 wechat
pay demo-pay-3 100.01 unionpay
reply="$("$BIN/stallctl" test-payment --socket "$SOCK" --amount 8.80 --id demo-test-1)" \
  || die "stallctl test-payment failed"
printf 'demo-test-1 %s\n' "$reply" >>"$OUT/payments.log"
printf '    %-12s %8s %-9s test payment on the diagnostic socket: %s\n' demo-test-1 8.80 alipay "$reply"

# Deliver demo-pay-1 a second time, once the box has recorded the first delivery: it must
# be neither recorded nor announced again.
wait_for "demo-pay-1 to be recorded" 30 payment_recorded demo-pay-1
pay demo-pay-1 12.50 alipay
duplicate_seen() { grep -q "payment already recorded" "$OUT/stallboxd.log"; }
wait_for "the box to receive the second delivery of demo-pay-1" 30 duplicate_seen

# ---------------------------------------------------------------- wait for everything
say "waiting for the weighings and for upstream to acknowledge every record"
settled() {
  "$BIN/stallctl" status --socket "$SOCK" >"$OUT/status.json" 2>/dev/null || return 1
  python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
last, up = s["ledger"]["last_seq"], s["uplink"]
sys.exit(0 if last >= int(sys.argv[2]) and up["pending"] == 0 and up["acked_seq"] == last else 1)' \
    "$OUT/status.json" "$EXPECTED_RECORDS"
}
wait_for "$EXPECTED_RECORDS records acknowledged upstream (last status in demo/out/status.json)" 60 settled

# ---------------------------------------------------------------- export and verify
say "exporting what upstream holds (demo/out/upstream-records.jsonl)"
"$BIN/stallbox-upstream" export --db "$RUN/upstream.sqlite" --device "$DEVICE_ID" \
  >"$OUT/upstream-records.jsonl" || die "stallbox-upstream export failed"
"$BIN/stallctl" export --socket "$SOCK" >"$OUT/ledger-records.jsonl" || die "stallctl export failed"

say "verifying it offline against the box's public key"
verified=0
if "$BIN/stallbox-upstream" verify "$OUT/upstream-records.jsonl" --public-key "$PUBLIC_KEY" \
  >"$OUT/verify.txt" 2>&1; then
  verified=1
fi

# The announcements' WAV files are written straight into demo/out/ by the ALSA `file` PCM.

# ---------------------------------------------------------------- summary
echo
python3 - "$OUT" "$ROOT" "$verified" <<'PY'
import json, os, re, sys, wave

out, root, verified = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
rel = lambda p: os.path.relpath(p, root)
problems = []

identity = json.load(open(os.path.join(out, "identity.json")))
status = json.load(open(os.path.join(out, "status.json")))
with open(os.path.join(out, "upstream-records.jsonl"), encoding="utf-8") as f:
    records = [json.loads(line) for line in f if line.strip()]
with open(os.path.join(out, "upstream-records.jsonl"), "rb") as f:
    upstream_bytes = f.read()
with open(os.path.join(out, "ledger-records.jsonl"), "rb") as f:
    ledger_bytes = f.read()

kinds = {}
for r in records:
    kinds[r.get("kind")] = kinds.get(r.get("kind"), 0) + 1
seqs = [r.get("seq") for r in records]

print("Stallbox demo")
print(f"  device_id      {identity['device_id']}")
print(f"  public_key     {identity['public_key']}")
print(f"  upstream holds {len(records)} records, seq {min(seqs, default=0)}..{max(seqs, default=0)}: "
      + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
print(f"  acked_seq      {status['uplink']['acked_seq']} (box ledger last_seq {status['ledger']['last_seq']}, "
      f"pending {status['uplink']['pending']})")

for scale in status.get("scales", []):
    print(f"  scale          {scale['name']}: {scale['state']}, {scale.get('protocol')} at {scale.get('settings')} "
          f"({scale.get('source')}), {scale['frames']} frames, {scale['bad_frames']} bad")
print("  weighings")
for r in records:
    if r.get("kind") == "weighing":
        print(f"    seq {r['seq']:>3}  {r.get('scale')}  {r['weight_mg'] / 1e6:.3f} kg")

print("  announcements")
for r in records:
    if r.get("kind") != "announcement":
        continue
    pid = r.get("payment_id", "")
    wav = os.path.join(out, "announce-" + re.sub(r"[^A-Za-z0-9_-]", "_", pid) + ".wav")
    if os.path.exists(wav):
        try:
            with wave.open(wav) as w:
                audio = f"{w.getnframes() / w.getframerate():.2f} s"
                if w.getnframes() == 0:
                    problems.append(f"{rel(wav)} holds no samples")
        except (wave.Error, EOFError) as e:
            audio = f"unreadable: {e}"
            problems.append(f"{rel(wav)} is not a readable WAV file: {e}")
        where = f"{rel(wav)} ({audio})"
    else:
        where = "no WAV file"
        if r.get("outcome") == "played":
            problems.append(f"{pid} was played but {rel(wav)} does not exist")
    print(f"    seq {r['seq']:>3}  {pid:<12} {r.get('text')}  {r.get('outcome')}, "
          f"latency {r.get('latency_ms')} ms, {where}")
    if r.get("outcome") != "played":
        problems.append(f"{pid} was not played: outcome {r.get('outcome')}")

pay1 = [r for r in records if r.get("payment_id") == "demo-pay-1"]
print(f"  demo-pay-1 was delivered twice: {sum(r.get('kind') == 'payment' for r in pay1)} payment record, "
      f"{sum(r.get('kind') == 'announcement' for r in pay1)} announcement")

with open(os.path.join(out, "verify.txt"), encoding="utf-8", errors="replace") as f:
    verify_text = f.read().strip()
last_line = verify_text.splitlines()[-1] if verify_text else "(no output)"
print(f"  verify         {last_line if verified else 'FAILED: ' + last_line}")

expected = {"start": 1, "weighing": 3, "payment": 4, "announcement": 4}
for kind, n in expected.items():
    if kinds.get(kind, 0) != n:
        problems.append(f"expected {n} {kind} record(s) upstream, found {kinds.get(kind, 0)}")
if seqs != list(range(1, len(seqs) + 1)):
    problems.append("upstream's records are not seq 1, 2, 3, ... without gaps")
if status["uplink"]["acked_seq"] != (max(seqs) if seqs else 0):
    problems.append("upstream's acknowledged seq differs from the last record it exported")
if upstream_bytes != ledger_bytes:
    problems.append("upstream's export differs from the box's own `stallctl export` "
                    "(demo/out/upstream-records.jsonl vs demo/out/ledger-records.jsonl)")
if not verified:
    problems.append("stallbox-upstream verify rejected the export (demo/out/verify.txt)")

print()
print(f"  results in {rel(out)}/: identity.json, upstream-records.jsonl, announce-*.wav, logs")
if problems:
    print()
    for p in problems:
        print(f"demo: FAILED: {p}", file=sys.stderr)
    sys.exit(1)
print("  all checks passed")
PY
