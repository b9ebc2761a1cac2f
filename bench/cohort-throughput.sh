#!/usr/bin/env bash
# Cohort throughput (issue 9): generates N synthetic std cases (current 200x200x150 at 2 mm, 32-bit;
# prior 180x160x110 at 2.5x2.5x3 mm, 16-bit; External, SpinalCord, PTV_High; spine-reirradiation
# constraints), runs `eqd2sum cohort --no-dose` under /usr/bin/time -v, and prints cases/s and peak RSS.
# Usage: bench/cohort-throughput.sh [N=200] [WORKDIR=/tmp/eqd2sum-cohort-bench] [extra cohort options...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-200}"; work="${2:-/tmp/eqd2sum-cohort-bench}"; shift $(( $# > 2 ? 2 : $# )) || true
java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd "$root"
"$root/eqd2sum" --version >/dev/null   # builds the CLI if needed
if [ ! -f "$work/study-$n/.complete" ]; then
  ./mvnw -q -B -o -pl bench -am package -DskipTests >&2
  rm -rf "$work/study-$n"; mkdir -p "$work"
  "$java" --add-modules jdk.incubator.vector -cp "bench/target/benchmarks.jar" \
      dev.eqd2sum.bench.CohortStudyMain "$work/study-$n" "$n" std
  touch "$work/study-$n/.complete"
fi
du -sh "$work/study-$n" >&2
rm -rf "$work/out-$n"
/usr/bin/time -v "$root/eqd2sum" cohort "$work/study-$n" --out "$work/out-$n" --no-dose "$@" \
    2> "$work/time-$n.txt" | tail -n 1 || true
grep -E "Elapsed \(wall|Maximum resident|Exit status" "$work/time-$n.txt"
grep -E '"(cases|failed|wallTimeS|casesPerSecond|backend)"' "$work/out-$n/cohort.json"
