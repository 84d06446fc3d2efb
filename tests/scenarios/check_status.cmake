# SPDX-License-Identifier: MIT
# Run apsim on one scenario that must fail, and check how it fails.
#
#   cmake -DAPSIM=path/to/apsim -DSCENARIO=path/to/x.scn -DSEARCH=asm-dir
#         -P check_status.cmake
#
# The scenario says what to expect in header comments:
#   # expect-exit: 2
#   # expect-stderr: x.scn:3:9: error: expected ...
# apsim must exit with that status, and every expect-stderr text must appear
# in its standard error, literally.  apsim runs in the scenario's directory
# with the scenario's file name, so messages carry "x.scn:LINE:COLUMN".
foreach(var APSIM SCENARIO SEARCH)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_status.cmake: ${var} is not set")
  endif()
endforeach()

get_filename_component(dir "${SCENARIO}" DIRECTORY)
get_filename_component(name "${SCENARIO}" NAME)
file(STRINGS "${SCENARIO}" exit_lines REGEX "^# expect-exit: [0-9]+$")
file(STRINGS "${SCENARIO}" err_lines REGEX "^# expect-stderr: ")
list(LENGTH exit_lines n_exit)
list(LENGTH err_lines n_err)
if(NOT n_exit EQUAL 1 OR n_err EQUAL 0)
  message(FATAL_ERROR "${name}: needs one '# expect-exit: N' line and at least one "
                      "'# expect-stderr: TEXT' line")
endif()
string(REGEX REPLACE "^# expect-exit: " "" want_exit "${exit_lines}")

execute_process(
  COMMAND "${APSIM}" -I "${SEARCH}" "${name}"
  WORKING_DIRECTORY "${dir}"
  RESULT_VARIABLE status
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)

if(NOT status STREQUAL want_exit)
  message(FATAL_ERROR "${name}: apsim exited with '${status}', expected ${want_exit}\n"
                      "--- stderr:\n${err}--- stdout:\n${out}")
endif()
foreach(line IN LISTS err_lines)
  string(REGEX REPLACE "^# expect-stderr: " "" needle "${line}")
  string(FIND "${err}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${name}: stderr lacks '${needle}'\n--- stderr:\n${err}")
  endif()
endforeach()
message(STATUS "${name}: exit ${status} with the expected messages")
