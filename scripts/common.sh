# Shared set-up for scripts/example.sh and scripts/test.sh: install what is
# missing (Debian 12 packages), configure and build. Source, don't run.

DWCONV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$DWCONV_ROOT/build}

# LLVM/MLIR 22 come from Debian 12's security suite (bookworm-security).
DWCONV_APT_PACKAGES=(
  cmake ninja-build g++ python3
  llvm-22-dev llvm-22-tools libmlir-22-dev mlir-22-tools
  libgtest-dev libzip-dev libhdf5-dev pkg-config python3-numpy
)

install_missing_packages() {
  local missing=() pkg
  for pkg in "${DWCONV_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing missing packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -q
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "${missing[@]}"
}

build_dwconv() {
  install_missing_packages
  if [ ! -f "$BUILD_DIR/build.ninja" ]; then
    cmake -S "$DWCONV_ROOT" -B "$BUILD_DIR" -G Ninja -DDWCONV_ENABLE_WERROR=ON
  fi
  cmake --build "$BUILD_DIR" "$@"
}

# Runs the lit suite (check-dwconv) of $BUILD_DIR, keeps its log there and
# prints "<label>N passed, M failed"; returns the suite's status.
run_check_suite() {
  local label=${1:-} log=$BUILD_DIR/check-dwconv.log status=0
  cmake --build "$BUILD_DIR" --target check-dwconv 2>&1 | tee "$log" || status=$?
  local passed failed
  passed=$(sed -n 's/^ *Passed *: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  failed=$(sed -n 's/^ *Failed *: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  echo "${label}${passed:-0} passed, ${failed:-0} failed"
  return "$status"
}
