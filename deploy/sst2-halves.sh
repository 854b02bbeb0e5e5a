#!/usr/bin/env bash
# Does a model reach SST-2 dev >= 0.85 (issue 17), with a setup chosen on one half and reported on the other?
# Splits SST-2 dev into the seeded halves of deploy/ACCURACY.md (dev-a = random.Random(17).sample(range(872), 436),
# dev-b the rest). On dev-a: five sentiment templates, fixed before these runs, alone and in pairs (an ensemble,
# --template twice); the best accuracy is the setup (a tie goes to the fewer templates). On dev-b: that setup
# zero-shot, then few-shot with 8 examples per class from dev-a (eval takes each class's first 8 sentences of at
# least 20 words from a shuffle of dev-a; three shuffles, seeds 17, 18, 19, all reported: which 8 matters).
# Raw outputs: deploy/accuracy/<model>/sst2-halves/. Needs python3, ../shared/data and a built jar; run with nice.
#   deploy/sst2-halves.sh MODEL...
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/java-home.sh
DEV=${DATA:-/work/shared/data}/sst2/sst2-glue-dev.jsonl
WORK=target/accuracy
mkdir -p "$WORK"
python3 - "$DEV" "$WORK" <<'EOF'
import random, sys
lines = open(sys.argv[1]).read().splitlines()
a = set(random.Random(17).sample(range(len(lines)), len(lines) // 2))
halves = {'a': [l for i, l in enumerate(lines) if i in a], 'b': [l for i, l in enumerate(lines) if i not in a]}
for half, rows in halves.items():
    open(f'{sys.argv[2]}/sst2-dev-{half}.jsonl', 'w').write('\n'.join(rows) + '\n')
for seed in (17, 18, 19):
    rows = list(halves['a']); random.Random(seed).shuffle(rows)
    open(f'{sys.argv[2]}/sst2-dev-a-shuffled-s{seed}.jsonl', 'w').write('\n'.join(rows) + '\n')
EOF
T=("This example is {}." "The sentiment of this review is {}." "This review is {}." "It was {}." "The review is {}.")
SETUPS=(0 1 2 3 4 01 02 03 04 12 13 14 23 24 34)
APP=$WORK/app-$$
rm -rf "$APP" && cp -r target/quarkus-app "$APP"
trap 'rm -rf "$APP"' EXIT

run() { # model, output name, half, setup (template indices), eval arguments: skipped if its output exists
  local model=$1 name=$2 half=$3 setup=$4; shift 4
  local out=deploy/accuracy/$model/sst2-halves templates=()
  for ((i = 0; i < ${#setup}; i++)); do templates+=(--template "${T[${setup:i:1}]}"); done
  mkdir -p "$out"
  [ -s "$out/$name.txt" ] && return 0
  echo "$(date +%T) $model $name" >&2
  ORT_DISABLE_TELEMETRY=1 TRIAGE_MODEL_NAME=$model TRIAGE_MODEL_WORK_DIR=$PWD/$WORK/work TRIAGE_BATCH_DEADLINE=30m \
    QUARKUS_HTTP_IDLE_TIMEOUT=2000s "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx512m --enable-native-access=ALL-UNNAMED \
    -Dquarkus.log.level=WARN -jar "$APP/quarkus-run.jar" eval --progress none --in "$WORK/sst2-dev-$half.jsonl" \
    --labels positive,negative --positive positive "${templates[@]}" "$@" > "$out/$name.tmp" 2> "$out/$name.err" \
    && mv "$out/$name.tmp" "$out/$name.txt" || echo "$model $name failed: see $out/$name.err" >&2
}
accuracy() { sed -n 's/^accuracy: \([0-9.]*\).*/\1/p' "$1"; }

for model in "$@"; do
  best=; best_accuracy=0
  for setup in "${SETUPS[@]}"; do
    run "$model" "dev-a-t$setup" a "$setup"
    a=$(accuracy "deploy/accuracy/$model/sst2-halves/dev-a-t$setup.txt")
    if awk -v a="$a" -v b="$best_accuracy" 'BEGIN { exit !(a > b) }'; then best=$setup; best_accuracy=$a; fi
  done
  echo "$model: chosen on dev-a: t$best ($best_accuracy)"
  run "$model" "dev-b-t$best" b "$best"
  for seed in 17 18 19; do
    run "$model" "dev-b-t$best-fewshot8-s$seed" b "$best" --examples "$WORK/sst2-dev-a-shuffled-s$seed.jsonl" \
      --examples-per-label 8
  done
  for f in deploy/accuracy/$model/sst2-halves/dev-b-t$best*.txt; do echo "  $(basename "$f" .txt): $(accuracy "$f")"; done
done
