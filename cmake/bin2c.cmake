# SPDX-License-Identifier: MIT
# Turn a raw binary into C: one byte array.
#   cmake -DIN=prog.bin -DOUT=prog.c -DNAME=sym -DHEADER=programs.h -P bin2c.cmake
#     a source file: #include "HEADER", const unsigned char sym[]; const size_t sym_len;
#   cmake -DIN=prog.bin -DOUT=prog.inc -DNAME=sym -DSTATIC=ON -P bin2c.cmake
#     a fragment to #include: static const unsigned char sym[];
foreach(var IN ITEMS IN OUT NAME)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "bin2c: -D${var}=... is required")
  endif()
endforeach()
if(NOT STATIC AND NOT DEFINED HEADER)
  message(FATAL_ERROR "bin2c: -DHEADER=... or -DSTATIC=ON is required")
endif()

file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" nhex)
if(nhex EQUAL 0)
  message(FATAL_ERROR "bin2c: ${IN} is empty")
endif()
math(EXPR nbytes "${nhex} / 2")

# 16 bytes (32 hex digits) per line: "0xa7, 0x89, ..."
set(body "")
set(pos 0)
while(pos LESS nhex)
  string(SUBSTRING "${hex}" ${pos} 32 chunk)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1, " chunk "${chunk}")
  string(REGEX REPLACE " $" "" chunk "${chunk}")
  string(APPEND body "\t${chunk}\n")
  math(EXPR pos "${pos} + 32")
endwhile()
string(REGEX REPLACE ",\n$" "" body "${body}")

get_filename_component(src_name "${IN}" NAME)
if(STATIC)
  set(text
"/* Generated from ${src_name}; do not edit. */
static const unsigned char ${NAME}[${nbytes}] = {
${body}
};
")
else()
  set(text
"/* Generated from ${src_name}; do not edit. */
#include \"${HEADER}\"

const unsigned char ${NAME}[${nbytes}] = {
${body}
};
const size_t ${NAME}_len = ${nbytes};
")
endif()
file(WRITE "${OUT}.tmp" "${text}")
# Only touch OUT when it changed, so dependents do not rebuild for nothing.
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
