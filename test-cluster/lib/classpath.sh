# Sourced by the test-cluster commands (run, doctor): builds the project when needed and sets
# TEST_CLUSTER_CP to the class path of the test-cluster's classes and their dependencies.
# Build output goes to stderr.

test_cluster_classpath() {
  local root cache cp_file stamp tool
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  cache="$root/target/test-cluster"
  cp_file="$cache/classpath.txt"
  stamp="$cache/build.stamp"

  for tool in java mvn; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "test-cluster: '$tool' not found; install it (Debian: apt-get install openjdk-17-jdk-headless maven)" >&2
      exit 127
    fi
  done

  # rebuild when there is no build yet, or the pom or any source changed since the last build
  if [[ ! -s "$cp_file" || ! -f "$stamp" || ! -d "$root/target/test-classes" \
        || -n "$(find "$root/pom.xml" "$root/src/main" "$root/src/test/java" -newer "$stamp" -print -quit 2>/dev/null)" ]]; then
    echo "test-cluster: building (first use, or sources changed) ..." >&2
    mkdir -p "$cache"
    (cd "$root" && mvn -B -q test-compile dependency:build-classpath \
        -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test) >&2
    touch "$stamp"
  fi
  TEST_CLUSTER_CP="$root/target/test-classes:$root/target/classes:$(cat "$cp_file")"
}
