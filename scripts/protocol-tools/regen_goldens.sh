#!/bin/sh
# Regenerates every firmware-protocols/PROTOCOL/captures/NAME.golden.jsonl from
# captures/NAME.bin with that protocol's reference decoder (tools/reference_decode.py).
# Run by each protocol's tools/regen_goldens.sh, or as `sh scripts/protocol-tools/regen_goldens.sh PROTOCOL`.
# Review the result as a diff (git diff -- captures/) before committing: a golden that
# changes is a change of decoded behaviour, not a formality.
set -eu
if [ $# -ne 1 ]; then
    echo "usage: regen_goldens.sh PROTOCOL" >&2
    exit 2
fi
cd "$(dirname "$0")/../../firmware-protocols/$1"
for bin in captures/*.bin; do
    golden="${bin%.bin}.golden.jsonl"
    python3 tools/reference_decode.py "$bin" > "$golden.tmp"
    mv "$golden.tmp" "$golden"
    echo "wrote $golden"
done
echo "now review: git diff -- firmware-protocols/$1/captures/"
