#!/usr/bin/env bash
# Installs the Debian packages Ensemble needs, only those missing. Usage: scripts/deps.sh [build|test|bench|all]
set -euo pipefail
what=${1:-build}

build_pkgs=(build-essential cmake ninja-build pkg-config git tzdata ca-certificates
  libboost1.81-dev libboost-test1.81-dev libsoci-dev libsqlite3-dev libpq-dev
  libjemalloc-dev libsodium-dev libqrencode-dev libpng-dev libkainjow-mustache-dev libcmark-dev libical-dev
  libspdlog-dev nlohmann-json3-dev libcurl4-openssl-dev libhowardhinnant-date-dev nodejs npm)
test_pkgs=(postgresql postgresql-client python3 python3-aiosmtpd python3-yaml chromium chromium-driver sqlite3 ffmpeg clang libclang-rt-14-dev openssl)
bench_pkgs=(wrk lua5.1 postgresql valgrind)

pkgs=("${build_pkgs[@]}")
case "$what" in
  build) ;;
  test) pkgs+=("${test_pkgs[@]}") ;;
  bench) pkgs+=("${bench_pkgs[@]}") ;;
  all) pkgs+=("${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
  *) echo "usage: $0 [build|test|bench|all]" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then missing+=("$p"); fi
done
# npm may come with nodejs from another source; do not ask apt for it then.
if command -v npm >/dev/null 2>&1; then
  filtered=(); for p in "${missing[@]}"; do [[ "$p" == npm || "$p" == nodejs ]] || filtered+=("$p"); done; missing=("${filtered[@]}")
fi
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi

echo "deps: installing ${missing[*]}"
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo_cmd apt-get update -qq
$sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
