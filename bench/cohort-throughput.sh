#!/usr/bin/env bash
# Cohort throughput (issue 9, results in bench/results/cohort.md): generates N synthetic cases once
# (std: current 200x200x150 at 2 mm, 32-bit; prior 180x160x110 at 2.5x2.5x3 mm, 16-bit; External,
# SpinalCord, PTV_High; spine-reirradiation constraints), runs `eqd2sum cohort --no-dose` under
# /usr/bin/time -v, and prints wall time, CPU time, peak RSS and cohort.json's figures.
# Usage: bench/cohort-throughput.sh [N=200] [WORKDIR=/tmp/eqd2sum-cohort-bench] [extra cohort options...]
#        SIZE=small for a quick check; EQD2SUM_JAVA_OPTS passes JVM flags (-Xmx1g, JFR, ...).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-200}"; work="${2:-/tmp/eqd2sum-cohort-bench}"; shift $(( $# > 2 ? 2 : $# )) || true
size="${SIZE:-std}"
java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
cd "$root"
"$root/eqd2sum" --version >/dev/null   # builds the CLI if needed
study="$work/study-$size-$n"
if [ ! -f "$study/.complete" ]; then
  ./mvnw -q -B -o -pl bench -am compile >&2
  rm -rf "$study"; mkdir -p "$work"
  "$java" -cp engine/target/classes:io/target/classes:bench/target/classes \
      dev.eqd2sum.bench.CohortStudyMain "$study" "$n" "$size"
  touch "$study/.complete"
fi
du -sh "$study" >&2
out="$work/out-$size-$n"; rm -rf "$out"
uptime
/usr/bin/time -v "$root/eqd2sum" cohort "$study" --out "$out" --no-dose "$@" 2> "$work/time-$size-$n.txt" \
    | tail -n 1 || true
uptime
grep -E "User time|System time|Percent of CPU|Elapsed \(wall|Maximum resident|Exit status" "$work/time-$size-$n.txt"
grep -E '"(cases|failed|wallTimeS|casesPerSecond|backend|hashingInputs|runningCases)"' "$out/cohort.json"
