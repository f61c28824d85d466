#!/usr/bin/env bash
# Multi-worker scaling on this machine: the MNIST MLP with one worker of one TensorFlow thread, then
# two workers (two JVMs, one thread each) in a private network namespace with only loopback, alternated
# for ROUNDS rounds; prints each run's MULTIWORKER_RESULT and the medians. Needs root (unshare -n) and
# a built repository (mvn -q install -DskipTests). Not a test: about a minute per round on 2 cores.
#   bench/multiworker.sh [rounds, default 3] [global batch, default 128] [mnist folder, default ../shared/datasets/mnist]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
ROUNDS="${1:-3}"
BATCH="${2:-128}"
MNIST="$(cd "${3:-$ROOT/../shared/datasets/mnist}" && pwd)"
CPFILE="$ROOT/examples/target/multiworker-classpath.txt"
(cd "$ROOT" && mvn -q -pl examples org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.outputFile="$CPFILE")
CP="$ROOT/examples/target/classes:$(cat "$CPFILE")"
MAIN=dev.leibniz.examples.MultiWorkerBenchmark
OUT=$(mktemp)
for round in $(seq "$ROUNDS"); do
  java -cp "$CP" "$MAIN" "$MNIST" single 4 "$BATCH" 2>/dev/null | grep MULTIWORKER_RESULT | tee -a "$OUT"
  unshare -n sh -c "ip link set lo up; java -cp '$CP' $MAIN '$MNIST' task:0 4 $BATCH 2>/dev/null & \
    java -cp '$CP' $MAIN '$MNIST' task:1 4 $BATCH 2>/dev/null >/dev/null & wait" | grep MULTIWORKER_RESULT | tee -a "$OUT"
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
runs = [json.loads(l.split(" ", 1)[1]) for l in open(sys.argv[1])]
one = [r for r in runs if r["mode"] == "single"]
two = [r for r in runs if r["mode"] == "task:0"]
s1 = statistics.median(r["samples_per_s"] for r in one)
s2 = statistics.median(r["samples_per_s"] for r in two)
step = statistics.median(r["step_ms"] for r in two)
ar = statistics.median(r["allreduce_ms"] for r in two)
print(f"global batch {two[0].get('batch', '')}")
print(f"one worker:  {s1:,.0f} samples/s")
print(f"two workers: {s2:,.0f} samples/s (speed-up {s2 / s1:.2f}, scaling efficiency {s2 / s1 / 2:.0%})")
print(f"all-reduce of one step's 407,053 floats alone: {ar:.2f} ms of a {step:.2f} ms step ({ar / step:.0%})")
PY
rm -f "$OUT"
