#!/usr/bin/env bash
# A Java runtime for the Spark tests: nothing to do when `java` runs; otherwise Debian's
# default headless JRE, installed with apt-get (as root, as on CI).
set -euo pipefail
if command -v java >/dev/null 2>&1 && java -version >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "!! no Java runtime, and not root to install one: apt-get install default-jre-headless" >&2
  exit 1
fi
echo "== Java runtime (apt-get install default-jre-headless)"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends default-jre-headless >/dev/null
java -version
