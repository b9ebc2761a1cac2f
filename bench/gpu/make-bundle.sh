#!/usr/bin/env bash
# Builds .bundle/: everything a GPU machine without a JDK, Maven or network needs to run the OpenCL
# tests, the kernel benchmarks and `eqd2sum sum` end to end (bench/gpu/README.md). Run from anywhere;
# the bundle lands in the repository root (ignored by git) and travels with the device tool's carry.
#   .bundle/jdk.tar.xz       jlinked JDK 25 with its CDS archive (unpacked on the device: the plain image
#                            is ~75 MB, over the 64 MB the device tool carries)
#   .bundle/cli/             eqd2sum.jar + lib/ (as the ./eqd2sum launcher runs it)
#   .bundle/benchmarks.jar   JMH benchmarks (bench module, shaded)
#   .bundle/test/            engine classes and test classes, test dependencies, junit console standalone
#   .bundle/ocl/             Debian's ocl-icd loader (libOpenCL.so.1, also as libOpenCL.so for JOCL)
#   .bundle/run-on-device.sh the device script (a copy of bench/gpu/run-on-device.sh)
#   .bundle/eqd2sum          the ./eqd2sum launcher (sum and cohort run through it, with its flags and AOT cache)
# OFFLINE=1 builds with -o (everything already in ~/.m2). XCHECK=1 adds the pydicom cross-check's cases, its script and
# Debian's pydicom (bench/gpu/README.md), for the device script's xcheck step.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
jdk="${EQD2SUM_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -x "$jdk/bin/jlink" ] || { echo "make-bundle: no jlink in $jdk (set EQD2SUM_JAVA_HOME to a JDK 25)" >&2; exit 2; }
off=(); [ "${OFFLINE:-}" = 1 ] && off=(-o)
bundle="$root/.bundle"
t0=$SECONDS

echo "make-bundle: building cli, bench and the engine test jar ..." >&2
./mvnw -q -B "${off[@]}" -DskipTests package -pl cli,bench -am

rm -rf "$bundle"
mkdir -p "$bundle/cli/lib" "$bundle/test/lib" "$bundle/ocl"

cp cli/target/eqd2sum.jar "$bundle/cli/"
cp cli/target/lib/*.jar "$bundle/cli/lib/"
cp bench/target/benchmarks.jar "$bundle/"
# The engine's classes as folders, not jars: KernelEquivalenceTest lists the kernel classes from the
# folder that holds DoseKernelSupport.class.
cp -r engine/target/classes "$bundle/test/classes"
cp -r engine/target/test-classes "$bundle/test/test-classes"

# Test dependencies of engine (jqwik, AssertJ, ...) without JUnit's own jars (the console standalone
# jar holds them) and without JOCL (in cli/lib).
./mvnw -q -B "${off[@]}" -pl engine dependency:copy-dependencies -DincludeScope=test \
  -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.junit -DexcludeArtifactIds=jocl \
  -DoutputDirectory="$bundle/test/lib"
junit_version="$(sed -n 's:.*<junit.version>\(.*\)</junit.version>.*:\1:p' pom.xml | head -n 1)"
console_version="1.${junit_version#5.}"   # JUnit 5.x.y ships platform 1.x.y
./mvnw -q -B "${off[@]}" -N dependency:copy \
  -Dartifact="org.junit.platform:junit-platform-console-standalone:$console_version" \
  -DoutputDirectory="$bundle/test"

# The runtime: what jdeps reports for the CLI, JMH, the JUnit console, jqwik and AssertJ (java.desktop,
# wanted only by Jackson's optional java.beans support, left out), plus jdk.management for JMH's forks.
modules=java.base,jdk.incubator.vector,java.logging,java.management,jdk.management,jdk.unsupported,java.xml,java.sql,java.instrument,jdk.zipfs
stage="$(mktemp -d "${TMPDIR:-/tmp}/eqd2sum-bundle.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
echo "make-bundle: jlink $modules ..." >&2
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --generate-cds-archive --output "$stage/jdk" 2> >(grep -v 'incubator modules' >&2)
# The JDK's libjvm.so keeps its symbol table (29 MB); stripped it is 25 MB.
if command -v strip >/dev/null; then strip --strip-unneeded "$stage/jdk/lib/server/libjvm.so"; fi
"$stage/jdk/bin/java" -version 2>&1 | sed 's/^/make-bundle: /' >&2
XZ_OPT="-9 -T0" tar -C "$stage" -cJf "$bundle/jdk.tar.xz" jdk

# ocl-icd's loader, real files (no links out of the bundle): JOCL dlopens "libOpenCL.so".
loader="$(readlink -f /usr/lib/x86_64-linux-gnu/libOpenCL.so.1)"
cp "$loader" "$bundle/ocl/libOpenCL.so.1"
cp "$loader" "$bundle/ocl/libOpenCL.so"

# XCHECK=1: the pydicom cross-check's cases (kept by the test), its script and Debian's pydicom (code only), for the
# device script's xcheck step
if [ "${XCHECK:-}" = 1 ]; then
  echo "make-bundle: the pydicom cross-check's cases ..." >&2
  EQD2SUM_XCHECK_KEEP="$bundle/xcheck" ./mvnw -q -B "${off[@]}" -pl validation-data test \
    -Dtest=PlanSumPydicomCrossCheckTest -Dsurefire.failIfNoSpecifiedTests=false >&2
  rm -rf "$bundle"/xcheck/case*/out
  cp validation-data/src/test/resources/dev/eqd2sum/validation/plansum_reference.py "$bundle/"
  pydicom_dir="$(/usr/bin/python3 -c 'import os, pydicom; print(os.path.dirname(pydicom.__file__))')"
  mkdir -p "$bundle/pylib"
  (cd "$(dirname "$pydicom_dir")" && tar -cf - --exclude=__pycache__ --exclude=tests --exclude=test_files \
     --exclude=charset_files pydicom) | tar -xf - -C "$bundle/pylib"
fi
cp bench/gpu/run-on-device.sh "$bundle/run-on-device.sh"
cp eqd2sum "$bundle/eqd2sum"   # the launcher: sum and cohort run through it on the device
git rev-parse HEAD >"$bundle/COMMIT" 2>/dev/null || true
git status --porcelain --untracked-files=no | sed 's/^/modified: /' >>"$bundle/COMMIT" 2>/dev/null || true

size_mb="$(du -sm "$bundle" | cut -f1)"
du -sh "$bundle"/* | sed 's/^/make-bundle: /' >&2
echo "make-bundle: .bundle is ${size_mb} MB (carry limit: 64 MB with the working tree), built in $((SECONDS - t0)) s" >&2
if [ "$size_mb" -gt 55 ]; then echo "make-bundle: warning: over 55 MB" >&2; fi
