# dwconv_add_layer(<target> SPEC <file>
#                  [NAME <symbol prefix>]
#                  [INPUT_SHAPE <[LAYER=]NxHxWxC> ...]
#                  [TARGET_CPU <cpu>] [TRIPLE <triple>]
#                  [DEVICE cpu|cuda] [GPU_ARCH <sm_XX> ...] [CUDA_PATH <dir>]
#                  [NO_FOLD] [WEIGHTS_AS_ARGUMENTS]
#                  [OPTIONS <more dwconv-compile options> ...])
#
# Compiles the Keras spec (layer config JSON, model JSON, .keras, .h5 or
# .mlir) with dwconv-compile at build time, again whenever the spec changes
# (dwconv-compile --depfile), into <target>.o and <target>.h under
# ${CMAKE_CURRENT_BINARY_DIR}/<target>. <target> is a static library of the
# object whose users get the header's directory on their include path
# (#include "<target>.h") and DWConv::runtime on their link line.
function(dwconv_add_layer target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "NO_FOLD;WEIGHTS_AS_ARGUMENTS"
    "SPEC;NAME;TARGET_CPU;TRIPLE;DEVICE;CUDA_PATH"
    "INPUT_SHAPE;GPU_ARCH;OPTIONS")
  if(NOT ARG_SPEC)
    message(FATAL_ERROR "dwconv_add_layer(${target}): SPEC <file> is required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "dwconv_add_layer(${target}): unknown arguments "
                        "${ARG_UNPARSED_ARGUMENTS}")
  endif()
  get_filename_component(spec "${ARG_SPEC}" ABSOLUTE)
  set(dir "${CMAKE_CURRENT_BINARY_DIR}/${target}")
  set(object "${dir}/${target}${CMAKE_C_OUTPUT_EXTENSION}")
  set(header "${dir}/${target}.h")
  set(depfile "${dir}/${target}.d")
  set(options -o "${object}" --header "${header}" --depfile "${depfile}")
  if(ARG_NAME)
    list(APPEND options --name "${ARG_NAME}")
  endif()
  foreach(shape IN LISTS ARG_INPUT_SHAPE)
    list(APPEND options --input-shape "${shape}")
  endforeach()
  foreach(pair TARGET_CPU:--target-cpu TRIPLE:--triple DEVICE:--device
               CUDA_PATH:--cuda-path)
    string(REPLACE ":" ";" pair "${pair}")
    list(GET pair 0 key)
    list(GET pair 1 flag)
    if(ARG_${key})
      list(APPEND options "${flag}=${ARG_${key}}")
    endif()
  endforeach()
  if(ARG_GPU_ARCH)
    string(REPLACE ";" "," archs "${ARG_GPU_ARCH}")
    list(APPEND options "--gpu-arch=${archs}")
  endif()
  if(ARG_NO_FOLD)
    list(APPEND options --no-fold)
  endif()
  if(ARG_WEIGHTS_AS_ARGUMENTS)
    list(APPEND options --weights-as-arguments)
  endif()
  list(APPEND options ${ARG_OPTIONS})
  add_custom_command(
    OUTPUT "${object}" "${header}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${dir}"
    COMMAND DWConv::dwconv-compile "${spec}" ${options}
    DEPENDS "${spec}" DWConv::dwconv-compile
    DEPFILE "${depfile}"
    COMMENT "dwconv-compile ${ARG_SPEC} -> ${target}"
    VERBATIM)
  add_library(${target} STATIC "${object}" "${header}")
  set_target_properties(${target} PROPERTIES LINKER_LANGUAGE C)
  target_include_directories(${target} INTERFACE "${dir}")
  target_link_libraries(${target} INTERFACE DWConv::runtime)
endfunction()
