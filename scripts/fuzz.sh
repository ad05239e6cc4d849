#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (see Fuzz/README.md) and runs each for
# FUZZ_SECONDS seconds, seeded with the committed captures. Exits non-zero if any target
# crashed (an invariant failed), ran out of memory or time on one input, or if the build
# failed; the summary names them and where their inputs were saved.
#
# Settings (environment):
#   FUZZ_SECONDS   seconds per target (default 60)
#   FUZZ_TARGETS   space-separated subset, e.g. "cas-dc1 mt-sics" (default: all eight)
#   FUZZ_MAX_LEN   longest input in bytes (default 8192: above the 4096-byte slices that
#                  cas-dc1 and yaohua-a23p feed in, and the longest capture, 2700 bytes)
#   FUZZ_RSS_MB    memory limit per target in MB (default 2048)
#   FUZZ_TIMEOUT   seconds one input may take before it counts as a hang (default 10)
#   SWIFT          the swift driver (default swift)
#
# Crash inputs, libFuzzer's logs and the summary go to Fuzz/artifacts/<UTC time>/ (ignored
# by git). The working corpus is a temporary folder, removed at the end.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
FUZZ="$ROOT/Fuzz"
SWIFT="${SWIFT:-swift}"
SECONDS_EACH="${FUZZ_SECONDS:-60}"
MAX_LEN="${FUZZ_MAX_LEN:-8192}"
RSS_MB="${FUZZ_RSS_MB:-2048}"
TIMEOUT="${FUZZ_TIMEOUT:-10}"
ALL_TARGETS="toledo-continuous toledo-8217 mt-sics ad-st cas-dc1 yaohua-a23p auto-decode protocol-sniffer"
TARGETS="${FUZZ_TARGETS:-$ALL_TARGETS}"
DECODERS="toledo-continuous toledo-8217 mt-sics ad-st cas-dc1 yaohua-a23p"

# Swift's own backtracer catches the trap of a failed check before libFuzzer's handler
# does, and then libFuzzer saves no crash input: leave the signal to libFuzzer. (Replaying
# a crash by hand without this gives the Swift backtrace.)
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"

RUN="$FUZZ/artifacts/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RUN"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/stallbox-fuzz.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

for target in $TARGETS; do
    case " $ALL_TARGETS " in
        *" $target "*) ;;
        *) echo "fuzz.sh: unknown target '$target' (known: $ALL_TARGETS)" >&2; exit 2 ;;
    esac
done

# Build. Release keeps the checks (precondition and fatalError stay in -O) and runs
# several times faster; debug is the fallback should release not build.
cd "$FUZZ" || exit 2
config=""
build_start=$(date +%s)
for try in release debug; do
    echo "fuzz.sh: $SWIFT build -c $try --sanitize=fuzzer (in Fuzz/)"
    if "$SWIFT" build -c "$try" --sanitize=fuzzer >"$RUN/build-$try.log" 2>&1; then
        config="$try"
        break
    fi
    tail -20 "$RUN/build-$try.log" >&2
    echo "fuzz.sh: the $try build failed (log: $RUN/build-$try.log)" >&2
done
if [ -z "$config" ]; then
    echo "fuzz.sh: FAILED: no build" >&2
    exit 1
fi
BIN="$("$SWIFT" build -c "$config" --sanitize=fuzzer --show-bin-path)"
echo "fuzz.sh: built ($config) in $(( $(date +%s) - build_start )) s: $BIN"

# Seeds: a decoder's own captures; AutoDecode and the sniffer get every protocol's.
seed() {
    local target="$1" corpus="$2" protocol
    mkdir -p "$corpus"
    case " $DECODERS " in
        *" $target "*) cp "$ROOT/firmware-protocols/$target/captures/"*.bin "$corpus/" ;;
        *)
            for protocol in $DECODERS; do
                for file in "$ROOT/firmware-protocols/$protocol/captures/"*.bin; do
                    cp "$file" "$corpus/$protocol-$(basename "$file")"
                done
            done
            ;;
    esac
}

failed=""
summary="$RUN/summary.txt"
printf '%-18s %-6s %10s %8s %6s %7s %9s %8s\n' target result runs exec/s cov features corpus new-units >"$summary"
for target in $TARGETS; do
    corpus="$WORK/corpus-$target"
    seed "$target" "$corpus"
    seeds=$(ls "$corpus" | wc -l)
    mkdir -p "$RUN/$target"
    log="$RUN/$target.log"
    echo "fuzz.sh: fuzz-$target for ${SECONDS_EACH}s ($seeds seeds)"
    "$BIN/fuzz-$target" "$corpus" \
        -max_total_time="$SECONDS_EACH" -max_len="$MAX_LEN" -rss_limit_mb="$RSS_MB" -timeout="$TIMEOUT" \
        -use_value_profile=1 -print_final_stats=1 -artifact_prefix="$RUN/$target/" >"$log" 2>&1
    status=$?

    last=$(grep -E '^#[0-9]+' "$log" | tail -1)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    added=$(sed -n 's/^stat::new_units_added: *//p' "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([^ ]*\).*/\1/p' <<<"$last")
    found=$(ls "$RUN/$target" 2>/dev/null)
    if [ "$status" -eq 0 ] && [ -z "$found" ]; then
        result=ok
        rmdir "$RUN/$target"
    else
        result=FAILED
        failed="$failed $target"
    fi
    printf '%-18s %-6s %10s %8s %6s %7s %9s %8s\n' "$target" "$result" "${runs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "${added:-?}" >>"$summary"
    if [ "$result" = FAILED ]; then
        echo "fuzz.sh: fuzz-$target FAILED (exit $status); log: $log" >&2
        grep -E -m1 -A3 'fuzz invariant violated|Fatal error|ERROR: libFuzzer|==ERROR|SUMMARY' "$log" >&2
        for file in $found; do
            echo "fuzz.sh:   input: $RUN/$target/$file (replay: $BIN/fuzz-$target $RUN/$target/$file)" >&2
        done
    fi
done

echo
cat "$summary"
echo "fuzz.sh: logs in $RUN"
if [ -n "$failed" ]; then
    echo "fuzz.sh: FAILED:$failed" >&2
    exit 1
fi
echo "fuzz.sh: no target found a crash"
