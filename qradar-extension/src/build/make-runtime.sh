#!/usr/bin/env bash
# Links the Java runtime that ships inside the QRadar app zip. QRadar's app image (UBI 8 minimal, glibc 2.28)
# has no Java, and installs run offline, so the bundle carries its own runtime.
#
#   make-runtime.sh OUT_DIR MODULES [JDK]
#
# JDK: the third argument (-Dbundle.jdk), else $BUNDLE_JDK, else the newest Temurin under /usr/lib/jvm.
set -euo pipefail
out=$1
modules=$2
jdk=${3:-${BUNDLE_JDK:-}}
max_glibc=2.28
min_feature=17

fix="Fix: point -Dbundle.jdk=/path/to/jdk (or BUNDLE_JDK) at a portable JDK ${min_feature}+ whose native libraries need glibc <= ${max_glibc}, such as an Eclipse Temurin build (Debian's and Ubuntu's OpenJDK packages need a newer glibc and will not run in QRadar's UBI 8 image)."
fail() {
  echo "[make-runtime] ERROR: $*" >&2
  echo "[make-runtime] $fix" >&2
  exit 1
}

if [ -z "$jdk" ]; then
  jdk=$(ls -d /usr/lib/jvm/temurin-*-jdk* 2>/dev/null | sort -V | tail -n 1 || true)
fi
[ -n "$jdk" ] || fail "no portable JDK found (looked at -Dbundle.jdk, \$BUNDLE_JDK and /usr/lib/jvm/temurin-*)."
[ -x "$jdk/bin/jlink" ] || fail "$jdk has no bin/jlink."
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release" 2>/dev/null || true)
[ -n "$feature" ] && [ "$feature" -ge "$min_feature" ] || fail "$jdk is Java '${feature:-unknown}', need ${min_feature}+."
command -v readelf >/dev/null || fail "readelf is missing (apt-get install binutils); it checks the runtime's glibc needs."

stamp="$jdk|$(sed -n 's/^JAVA_RUNTIME_VERSION=//p' "$jdk/release")|$modules|$max_glibc"
if [ -x "$out/bin/java" ] && [ -f "$out.stamp" ] && [ "$(cat "$out.stamp")" = "$stamp" ]; then
  echo "[make-runtime] $out is up to date"
  exit 0
fi

rm -rf "$out" "$out.stamp"
echo "[make-runtime] linking $modules from $jdk"
# zip-0: the zip around the bundle compresses the uncompressed module image better, and the JVM starts faster.
# The default CDS archive speeds up the first start; the app adds its own dynamic archive in the store.
compress=zip-0
[ "$feature" -ge 21 ] || compress=0
if ! log=$("$jdk/bin/jlink" \
    --add-modules "$modules" \
    --strip-debug --no-header-files --no-man-pages \
    --compress="$compress" \
    --generate-cds-archive \
    --output "$out" 2>&1); then
  rm -rf "$out"
  fail "jlink failed: $(printf '%s' "$log" | tail -n 3)"
fi
# Only used with heaps over 32 GB; the app's heap is far below that.
rm -f "$out/lib/server/classes_nocoops.jsa"

# Every ELF file in the runtime must load on glibc 2.28: read the versioned symbols each one needs.
newest=$(find "$out" -type f \( -name '*.so' -o -perm -u+x \) -print0 \
  | xargs -0 readelf --version-info --wide 2>/dev/null \
  | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1)
[ -n "$newest" ] || fail "could not read the glibc version needs of $out (is it a Linux x86_64 JDK?)."
if [ "$(printf '%s\n%s\n' "$newest" "$max_glibc" | sort -V | tail -n 1)" != "$max_glibc" ]; then
  offenders=""
  while IFS= read -r -d '' f; do
    if readelf --version-info --wide "$f" 2>/dev/null | grep -q "GLIBC_${newest}\b"; then
      offenders="$offenders ${f#"$out"/}"
    fi
  done < <(find "$out" -type f \( -name '*.so' -o -perm -u+x \) -print0)
  rm -rf "$out"
  fail "the runtime linked from $jdk needs glibc $newest (> $max_glibc), e.g. in: $offenders"
fi
echo "$stamp" > "$out.stamp"
echo "[make-runtime] runtime ready: $(du -sh "$out" | cut -f1), needs at most glibc $newest (limit $max_glibc)"
