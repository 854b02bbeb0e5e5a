#!/usr/bin/env bash
# The accuracy matrix of issue 17, for every embedded model (or those given as arguments): `triage eval` on
# the tutorial's 777 posts, SST-2 dev (default template and the sentiment setup), 20 Newsgroups 20-class test,
# and one-vs-rest on 20NG test for sci.space, rec.motorcycles and talk.politics.guns against the catch-all
# (zero-shot, then few-shot with 8 train examples per group and a threshold fitted on them). Raw outputs go to
# deploy/accuracy/<model>/; deploy/ACCURACY.md reads them. Needs ../shared/data (20NG train, SST-2) and a
# built jar; run it with nice, it takes long (fp32 BGE reads ~3 long posts/s on a shared 2-core machine).
#   SUBSET=1000   evaluate 20NG test on the first N posts of a fixed shuffle (seed 17) instead of all 7,532
#   FULL_MODELS   models that always get the whole 20NG test (default: all-minilm-l6-v2-q)
#   TASKS="tutorial-777 sst2-dev ..."   run only these outputs (the names below; default: all of them)
set -euo pipefail
cd "$(dirname "$0")/.."
source deploy/java-home.sh
DATA=${DATA:-/work/shared/data}
SUBSET=${SUBSET:-1000}
FULL_MODELS=${FULL_MODELS:-all-minilm-l6-v2-q}
TASKS=${TASKS:-}
MODELS=("$@")
[ ${#MODELS[@]} -gt 0 ] || MODELS=(all-minilm-l6-v2-q bge-small-en-v15-q all-minilm-l6-v2 bge-small-en-v15)
WORK=target/accuracy
mkdir -p "$WORK"
# A copy of the app per run, so a rebuild during the hours this runs cannot pull the jar away.
APP=$WORK/app-$$
rm -rf "$APP" && cp -r target/quarkus-app "$APP"
trap 'rm -rf "$APP"' EXIT
# A seeded shuffle: shuf reading a key stream (`yes 17` as the source biases it badly: no rec.motorcycles in 1,000).
seeded() { shuf --random-source=<(openssl enc -aes-256-ctr -pass pass:17 -nosalt -pbkdf2 </dev/zero 2>/dev/null) "$@"; }
TEST20=src/data/20newsgroups/20ng-bydate-all-test.stripped.jsonl.gz
[ -s "$WORK/20ng-test-subset.jsonl" ] || zcat "$TEST20" | seeded -n "$SUBSET" > "$WORK/20ng-test-subset.jsonl"
# Few-shot examples: eval takes each group's first 8 posts of at least 20 words from this seeded shuffle.
[ -s "$WORK/20ng-train-shuffled.jsonl" ] || zcat "$DATA/20newsgroups/20ng-bydate-all-train.stripped.jsonl.gz" | seeded > "$WORK/20ng-train-shuffled.jsonl"

# Readable names for the 20 groups, fixed before any measurement except "space flight and NASA": plain
# "space" (also disk space, white space) was chosen against on the 20NG train sample (deploy/ACCURACY.md).
NG_MAP='alt.atheism=atheism,comp.graphics=computer graphics,comp.os.ms-windows.misc=microsoft windows,comp.sys.ibm.pc.hardware=pc hardware,comp.sys.mac.hardware=mac hardware,comp.windows.x=x window system,misc.forsale=for sale,rec.autos=cars,rec.motorcycles=motorcycles,rec.sport.baseball=baseball,rec.sport.hockey=hockey,sci.crypt=cryptography,sci.electronics=electronics,sci.med=medicine,sci.space=space flight and NASA,soc.religion.christian=christianity,talk.politics.guns=guns,talk.politics.mideast=middle east,talk.politics.misc=politics,talk.religion.misc=religion'
NG_LABELS=$(tr ',' '\n' <<< "$NG_MAP" | cut -d= -f2 | paste -sd,)
OVR_MAP='sci.space=space flight and NASA,rec.motorcycles=motorcycles,talk.politics.guns=guns'
OVR_LABELS='space flight and NASA,motorcycles,guns'
SENTIMENT_TEMPLATE='The sentiment of this review is {}.'   # chosen on a seeded half of SST-2 dev (ACCURACY.md)
# Template ensembles (--template repeated), each the best of its kind on the train sample / SST-2 dev-a with MiniLM q8
TOPIC_ENSEMBLE=(--template 'A post about {}.' --template 'This is a discussion of {}.')
SENTIMENT_ENSEMBLE=(--template 'The sentiment of this review is {}.' --template 'The review is {}.')

triage() { # model, then triage arguments
  local model=$1; shift
  TRIAGE_MODEL_NAME=$model TRIAGE_MODEL_WORK_DIR=$PWD/$WORK/work TRIAGE_SCORING_TEXT_CACHE_SIZE=20000 TRIAGE_BATCH_DEADLINE=30m QUARKUS_HTTP_IDLE_TIMEOUT=2000s \
    "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx512m --enable-native-access=ALL-UNNAMED \
    -Dquarkus.log.level=WARN -jar "$APP/quarkus-run.jar" "$@"
}

for model in "${MODELS[@]}"; do
  out=deploy/accuracy/$model
  mkdir -p "$out"
  test20=$WORK/20ng-test-subset.jsonl
  [[ " $FULL_MODELS " == *" $model "* ]] && test20=$TEST20
  run() { # name, eval arguments: skipped if its output exists
    local name=$1; shift
    [ -s "$out/$name.txt" ] && return 0
    [ -z "$TASKS" ] || [[ " $TASKS " == *" $name "* ]] || return 0
    echo "$(date +%T) $model $name" >&2
    if triage "$model" eval --progress none "$@" > "$out/$name.tmp" 2> "$out/$name.err"; then
      mv "$out/$name.tmp" "$out/$name.txt"
    else
      echo "$model $name failed: see $out/$name.err" >&2
    fi
  }
  run tutorial-777 --in src/data/20newsgroups/20ng-bydate-motorcycles-baseball-test.stripped.nonempty.sklearn-order.jsonl.gz \
    --labels motorcycles,baseball --label-map rec.motorcycles=motorcycles,rec.sport.baseball=baseball --positive motorcycles
  run sst2-dev --in "$DATA/sst2/sst2-glue-dev.jsonl" --labels positive,negative --positive positive
  run sst2-dev-sentiment --in "$DATA/sst2/sst2-glue-dev.jsonl" --labels positive,negative --positive positive \
    --template "$SENTIMENT_TEMPLATE"
  run 20ng-20class --in "$test20" --labels "$NG_LABELS" --label-map "$NG_MAP"
  run 20ng-one-vs-rest --in "$test20" --labels "$OVR_LABELS" --label-map "$OVR_MAP" --none-label other \
    --one-vs-rest --examples "$WORK/20ng-train-shuffled.jsonl" --examples-per-label 8
  run 20ng-one-vs-rest-ensemble --in "$test20" --labels "$OVR_LABELS" --label-map "$OVR_MAP" --none-label other \
    --one-vs-rest "${TOPIC_ENSEMBLE[@]}"
  run 20ng-20class-ensemble --in "$test20" --labels "$NG_LABELS" --label-map "$NG_MAP" "${TOPIC_ENSEMBLE[@]}"
  run sst2-dev-ensemble --in "$DATA/sst2/sst2-glue-dev.jsonl" --labels positive,negative --positive positive \
    "${SENTIMENT_ENSEMBLE[@]}"
  echo "$test20" > "$out/20ng-input.txt"
done
