#!/bin/sh
# Regenerates every captures/NAME.golden.jsonl from captures/NAME.bin with the reference
# decoder, which reads the chip and the direction from captures/NAME.header. Review the
# result as a diff (git diff -- captures/) before committing: a golden that changes is a
# change of decoded behaviour, not a formality.
set -eu
cd "$(dirname "$0")/.."
for bin in captures/*.bin; do
    golden="${bin%.bin}.golden.jsonl"
    python3 tools/reference_decode.py "$bin" > "$golden.tmp"
    mv "$golden.tmp" "$golden"
    echo "wrote $golden"
done
echo "now review: git diff -- firmware-protocols/uart-tts/captures/"
