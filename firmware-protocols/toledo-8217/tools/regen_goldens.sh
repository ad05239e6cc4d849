#!/bin/sh
# Rewrites every captures/NAME.golden.jsonl with tools/reference_decode.py; review the diff
# before committing. The loop is scripts/protocol-tools/regen_goldens.sh.
exec sh "$(dirname "$0")/../../../scripts/protocol-tools/regen_goldens.sh" toledo-8217
