# What `cmake --install` puts under the prefix:
#   bin/      dwconv-compile, dwconv-opt, dwconv-run
#   include/  dwconv/runtime.h and dwconv/abi.def (the C runtime), and the
#             compiler's C++ headers (dwconv/Pipelines/Pipelines.h, ...)
#   lib/      libdwconv_runtime.a; libDWConvMLIR.so and the mlir-opt
#             plugins DWConvDialectPlugin.so, DWConvPassPlugin.so
#   lib/cmake/DWConv/      find_package(DWConv), dwconv_add_layer()
#   lib/pkgconfig/dwconv-runtime.pc
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Installed binaries find Debian's libMLIR.so / libLLVM.so where the build
# found them, and libDWConvMLIR.so beside the plugins.
set(dwconv_rpath "${LLVM_LIBRARY_DIR}")
foreach(tool dwconv-compile dwconv-opt dwconv-run)
  set_target_properties(${tool} PROPERTIES INSTALL_RPATH "${dwconv_rpath}")
endforeach()
foreach(lib DWConvMLIR DWConvDialectPlugin DWConvPassPlugin)
  set_target_properties(${lib} PROPERTIES
    INSTALL_RPATH "\$ORIGIN;${dwconv_rpath}")
endforeach()

set_target_properties(dwconv_runtime PROPERTIES EXPORT_NAME runtime)
install(TARGETS dwconv_runtime dwconv-compile
  EXPORT DWConvTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS dwconv-opt dwconv-run
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS DWConvMLIR
  EXPORT DWConvTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
set_target_properties(DWConvMLIR PROPERTIES EXPORT_NAME mlir)
install(TARGETS DWConvDialectPlugin DWConvPassPlugin
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})

install(DIRECTORY runtime/include/dwconv
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY include/dwconv ${PROJECT_BINARY_DIR}/include/dwconv
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
  FILES_MATCHING PATTERN "*.h" PATTERN "*.h.inc" PATTERN "*.td"
  PATTERN "CMakeFiles" EXCLUDE)

set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/DWConv)
install(EXPORT DWConvTargets NAMESPACE DWConv:: DESTINATION ${config_dir})
configure_package_config_file(cmake/DWConvConfig.cmake.in
  ${PROJECT_BINARY_DIR}/DWConvConfig.cmake
  INSTALL_DESTINATION ${config_dir}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/DWConvConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/DWConvConfig.cmake
  ${PROJECT_BINARY_DIR}/DWConvConfigVersion.cmake
  cmake/DWConvAddLayer.cmake
  DESTINATION ${config_dir})

configure_file(cmake/dwconv-runtime.pc.in
  ${PROJECT_BINARY_DIR}/dwconv-runtime.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/dwconv-runtime.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
