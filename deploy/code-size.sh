#!/usr/bin/env bash
# Main code (src/main/java) against issue 14's filing (commit a0d5194: 6,609 lines), like for like: issues 15-18
# landed features after it, so their lines are counted apart. Needs the git history (a full clone). Prints:
#  1. classes that exist only for issues 15-18's features;
#  2. in every other class, lines whose last change (git blame) is a commit that added a 15-18 feature;
#  3. the rest: the filing-era feature set as it is now (refactors and clean-ups of feature code count as filing-era).
cd "$(dirname "$0")/.."
FEATURE_CLASSES=" RequestQueue TurnOrder SpeedEstimate ClassifyStreamRoute CancelOnDisconnect ApiKeyGuard EmbedInputs
  EmbeddingRoutes ErrorShape HfZeroShotRoute JsonRoute OpenApiDocument EmbeddingService ServingInfo LoadOutcome
  RequestTrace OtelOffWithoutEndpoint CalibrateCommand CalibrationReport FewShotCalibration OneVsRest Background
  CalibrationFit CatchAll ExampleCalibration LabelVector BodyAdmission UploadTimeout Utf8Check Admission
  AdmissionEstimate ShutdownDrain NativeUseGate CliSignals ExpectedContent "
FEATURE_CLASSES=" $(echo $FEATURE_CLASSES) "
# commits that added a feature of 15-18 (not merges, not later clean-ups of feature code)
FEATURE_COMMITS="e3ae0ac ab14363 4397b8b 07f793c 2bc2488 c944326 6d0e76b fe5ba3d 7ba5bbc 87bbfea 999494b 6b254ca f2d1508
  8bd907e 46df178 f749c40 015b8ea 0bcc216 19507b2 362c3e5 b5d1315 19d638a 6781774 55d44a0 13bc069 df58027
  cd4e6a9"
MERGES="2422ee6 63d83c7 ab25824 cf350b5 5decbfa"
pattern() { local p=""; for c in $1; do p="$p|^$(git rev-parse $c)"; done; echo "${p#|}"; }
fc=$(pattern "$FEATURE_COMMITS"); mc=$(pattern "$MERGES")
classes=0; shared=0; merged=0; rest=0
for f in $(find src/main/java -name '*.java'); do
  n=$(wc -l < "$f")
  if [[ "$FEATURE_CLASSES" == *" $(basename "$f" .java) "* ]]; then classes=$((classes+n)); continue; fi
  hashes=$(git blame --porcelain "$f" | grep -E '^[0-9a-f]{40} [0-9]+ [0-9]+' | cut -d' ' -f1)
  a=$(grep -cE "$fc" <<< "$hashes"); b=$(grep -cE "$mc" <<< "$hashes")
  shared=$((shared+a)); merged=$((merged+b)); rest=$((rest+n-a-b))
done
echo "main code: $((classes+shared+merged+rest)) lines"
echo "feature classes: $classes"
echo "feature lines in other classes (last changed by a feature commit): $shared"
echo "lines last changed by the merges of feature branches: $merged"
echo "the rest (filing-era feature set now): $rest, with the merge lines: $((rest+merged)); at filing: 6609"
