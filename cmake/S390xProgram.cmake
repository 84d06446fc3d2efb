# SPDX-License-Identifier: MIT
# s390x guest programs: assembled, linked at a fixed address and cut to a flat
# image with the s390x binutils, then optionally embedded in C.
#
#   s390ap_find_s390x_binutils(<result-var>)
#   s390ap_s390x_program(NAME <name> SOURCES <file.S>...
#                        [ORIGIN <addr>]            (default 0x10000)
#                        [OUTPUT_DIRECTORY <dir>]   (default <current binary dir>/s390x)
#                        [OUTPUT_ELF <var>] [OUTPUT_BIN <var>])
#   s390ap_embed_binary(INPUT <file.bin> OUTPUT <file.c> SYMBOL <name>
#                       [HEADER <header.h>] [STATIC])
#
# <name>.elf keeps the symbols and the entry point (_start); <name>.bin is the
# flat image from ORIGIN on.

include_guard(GLOBAL)

# Sets <result-var> to TRUE when as, ld and objcopy are all found.
function(s390ap_find_s390x_binutils result)
  set(S390AP_S390X_TOOL_PREFIX "s390x-linux-gnu-" CACHE STRING
      "Name prefix of the s390x binutils (as, ld, objcopy)")
  # a new prefix invalidates the paths found with the old one
  if(NOT S390AP_S390X_TOOL_PREFIX STREQUAL "${_S390AP_S390X_FOUND_PREFIX}")
    unset(S390AP_S390X_AS CACHE)
    unset(S390AP_S390X_LD CACHE)
    unset(S390AP_S390X_OBJCOPY CACHE)
    set(_S390AP_S390X_FOUND_PREFIX "${S390AP_S390X_TOOL_PREFIX}" CACHE INTERNAL "")
  endif()
  find_program(S390AP_S390X_AS "${S390AP_S390X_TOOL_PREFIX}as")
  find_program(S390AP_S390X_LD "${S390AP_S390X_TOOL_PREFIX}ld")
  find_program(S390AP_S390X_OBJCOPY "${S390AP_S390X_TOOL_PREFIX}objcopy")
  if(S390AP_S390X_AS AND S390AP_S390X_LD AND S390AP_S390X_OBJCOPY)
    set(${result} TRUE PARENT_SCOPE)
  else()
    set(${result} FALSE PARENT_SCOPE)
  endif()
endfunction()

function(s390ap_s390x_program)
  cmake_parse_arguments(PARSE_ARGV 0 arg
    "" "NAME;ORIGIN;OUTPUT_DIRECTORY;OUTPUT_ELF;OUTPUT_BIN" "SOURCES")
  if(NOT arg_NAME OR NOT arg_SOURCES)
    message(FATAL_ERROR "s390ap_s390x_program: NAME and SOURCES are required")
  endif()
  if(NOT S390AP_S390X_AS OR NOT S390AP_S390X_LD OR NOT S390AP_S390X_OBJCOPY)
    message(FATAL_ERROR "s390ap_s390x_program(${arg_NAME}): the s390x binutils were not found")
  endif()
  if(NOT arg_ORIGIN)
    set(arg_ORIGIN 0x10000)
  endif()
  if(NOT arg_OUTPUT_DIRECTORY)
    set(arg_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/s390x")
  endif()
  set(dir "${arg_OUTPUT_DIRECTORY}")
  file(MAKE_DIRECTORY "${dir}")

  list(LENGTH arg_SOURCES nsrc)
  set(srcs)
  set(objs)
  set(commands)
  foreach(src IN LISTS arg_SOURCES)
    cmake_path(ABSOLUTE_PATH src BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}")
    cmake_path(GET src STEM stem)
    if(nsrc EQUAL 1)
      set(obj "${dir}/${arg_NAME}.o")
    else()
      set(obj "${dir}/${arg_NAME}-${stem}.o")
    endif()
    list(APPEND commands COMMAND "${S390AP_S390X_AS}" -m64 -o "${obj}" "${src}")
    list(APPEND objs "${obj}")
    list(APPEND srcs "${src}")
  endforeach()

  set(elf "${dir}/${arg_NAME}.elf")
  set(bin "${dir}/${arg_NAME}.bin")
  cmake_path(RELATIVE_PATH dir BASE_DIRECTORY "${CMAKE_BINARY_DIR}" OUTPUT_VARIABLE rel)
  add_custom_command(OUTPUT "${elf}" "${bin}"
    ${commands}
    COMMAND "${S390AP_S390X_LD}" -Ttext=${arg_ORIGIN} -e _start -o "${elf}" ${objs}
    COMMAND "${S390AP_S390X_OBJCOPY}" -O binary "${elf}" "${bin}"
    DEPENDS ${srcs}
    BYPRODUCTS ${objs}
    COMMENT "Assembling s390x program ${rel}/${arg_NAME}.elf"
    VERBATIM)

  if(arg_OUTPUT_ELF)
    set(${arg_OUTPUT_ELF} "${elf}" PARENT_SCOPE)
  endif()
  if(arg_OUTPUT_BIN)
    set(${arg_OUTPUT_BIN} "${bin}" PARENT_SCOPE)
  endif()
endfunction()

# A C file with the bytes of INPUT: with STATIC a fragment to #include,
#   static const unsigned char SYMBOL[] = { ... };
# otherwise a source file that includes HEADER and defines
#   const unsigned char SYMBOL[];  const size_t SYMBOL_len;
function(s390ap_embed_binary)
  cmake_parse_arguments(PARSE_ARGV 0 arg "STATIC" "INPUT;OUTPUT;SYMBOL;HEADER" "")
  if(NOT arg_INPUT OR NOT arg_OUTPUT OR NOT arg_SYMBOL)
    message(FATAL_ERROR "s390ap_embed_binary: INPUT, OUTPUT and SYMBOL are required")
  endif()
  if(NOT arg_STATIC AND NOT arg_HEADER)
    message(FATAL_ERROR "s390ap_embed_binary(${arg_SYMBOL}): HEADER is required without STATIC")
  endif()
  set(bin2c "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/bin2c.cmake")
  set(defs -DIN=${arg_INPUT} -DOUT=${arg_OUTPUT} -DNAME=${arg_SYMBOL})
  if(arg_STATIC)
    list(APPEND defs -DSTATIC=ON)
  else()
    list(APPEND defs -DHEADER=${arg_HEADER})
  endif()
  cmake_path(GET arg_OUTPUT FILENAME out_name)
  add_custom_command(OUTPUT "${arg_OUTPUT}"
    COMMAND "${CMAKE_COMMAND}" ${defs} -P "${bin2c}"
    DEPENDS "${arg_INPUT}" "${bin2c}"
    COMMENT "Embedding ${out_name}"
    VERBATIM)
endfunction()
