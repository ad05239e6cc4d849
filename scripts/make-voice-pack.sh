#!/usr/bin/env bash
# Generate the default Stallbox voice pack (Mandarin payment announcements).
# Usage: scripts/make-voice-pack.sh [OUT_DIR]   (default: <repo>/voice-packs/default)
set -euo pipefail

script_path="${BASH_SOURCE[0]}"
[[ "$script_path" == */* ]] || script_path="./$script_path"
script_dir="$(cd "${script_path%/*}" && pwd)"
repo_root="$(cd "$script_dir/.." && pwd)"
OUT="${1:-$repo_root/voice-packs/default}"

missing=0
for tool in espeak-ng sox python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    case "$tool" in
      python3) pkg=python3 ;;
      *) pkg="$tool" ;;
    esac
    echo "error: required tool '$tool' not found; install it with: sudo apt-get install -y $pkg" >&2
    missing=1
  fi
done
[ "$missing" -eq 0 ] || exit 1

VOICE="cmn-latn-pinyin"

# token<TAB>pinyin
TOKENS=$'零\tling2
一\tyi1
二\ter4
两\tliang3
三\tsan1
四\tsi4
五\twu3
六\tliu4
七\tqi1
八\tba1
九\tjiu3
十\tshi2
百\tbai3
千\tqian1
万\twan4
亿\tyi4
点\tdian3
元\tyuan2
角\tjiao3
分\tfen1
支付宝到账\tzhi1 fu4 bao3 dao4 zhang4
微信收款\twei1 xin4 shou1 kuan3
云闪付收款\tyun2 shan3 fu4 shou1 kuan3
收款\tshou1 kuan3'

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$OUT/clips"
: > "$tmp/map.tsv"

while IFS=$'\t' read -r token pinyin; do
  file="${pinyin// /_}.wav"
  espeak-ng -v "$VOICE" -s 150 -w "$tmp/raw.wav" "$pinyin"
  # -R: repeatable mode (fixed dither seed) so re-runs give byte-identical files.
  sox -R "$tmp/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$OUT/clips/$file" \
    silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse gain -n -3
  # Verify the result is plain 16 kHz mono 16-bit signed PCM.
  rate="$(soxi -r "$OUT/clips/$file")"
  chans="$(soxi -c "$OUT/clips/$file")"
  bits="$(soxi -b "$OUT/clips/$file")"
  enc="$(soxi -e "$OUT/clips/$file")"
  samples="$(soxi -s "$OUT/clips/$file")"
  if [ "$rate" != 16000 ] || [ "$chans" != 1 ] || [ "$bits" != 16 ] \
     || [ "$enc" != "Signed Integer PCM" ] || [ "$samples" -le 2000 ]; then
    echo "error: $file has unexpected format ($rate Hz, $chans ch, $bits bit, $enc, $samples samples)" >&2
    exit 1
  fi
  printf '%s\t%s\n' "$token" "$file" >> "$tmp/map.tsv"
  echo "  $token -> clips/$file ($samples samples)"
done <<< "$TOKENS"

espeak_ver="$(espeak-ng --version | sed -n 's/.*text-to-speech: *\([^ ]*\).*/\1/p')"
sox_ver="$(sox --version | sed -n 's/.*SoX v\{0,1\}\([0-9][^ ]*\).*/\1/p')"
generator="espeak-ng ${espeak_ver} ${VOICE}, sox ${sox_ver}"

python3 - "$tmp/map.tsv" "$OUT/manifest.json" "$generator" <<'PY'
import json, sys
map_path, out_path, generator = sys.argv[1:4]
clips = {}
with open(map_path, encoding="utf-8") as f:
    for line in f:
        token, name = line.rstrip("\n").split("\t")
        clips[token] = name
clips = dict(sorted(clips.items(), key=lambda kv: kv[1]))
manifest = {
    "name": "default",
    "version": 1,
    "sample_rate": 16000,
    "channels": 1,
    "format": "s16le",
    "generator": generator,
    "clips": clips,
}
with open(out_path, "w", encoding="utf-8") as f:
    json.dump(manifest, f, ensure_ascii=False, indent=2)
    f.write("\n")
PY

echo "wrote $OUT/manifest.json (${generator})"
