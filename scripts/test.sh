#!/usr/bin/env bash
# Builds dwconv (installing what is missing) and runs every test: the lit
# suite (FileCheck, diagnostics, round trip) and the C++ unit tests.
set -euo pipefail
source "$(dirname "$0")/common.sh"
build_dwconv
run_check_suite
