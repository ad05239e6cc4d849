#!/bin/sh
# Rewrites every captures/NAME.golden.jsonl with tools/reference_decode.py; review the diff
# before committing. The loop is firmware-protocols/tools/regen_goldens.sh.
exec sh "$(dirname "$0")/../../tools/regen_goldens.sh" cas-dc1
