# -*- Python -*-
# The C++ unit tests (GoogleTest), run as part of check-dwconv.

import os

import lit.formats

config.name = "DWCONV-Unit"
config.suffixes = []
config.test_exec_root = os.path.join(config.dwconv_obj_root, "unittests")
config.test_source_root = config.test_exec_root
config.test_format = lit.formats.GoogleTest(config.llvm_build_mode, "Tests")
