# SPDX-License-Identifier: MIT
# apsim's command line: options, exit statuses, standard input, --json,
# --trace and --stats.
#
#   cmake -DAPSIM=path/to/apsim -DSCN_DIR=tests/scenarios -DSEARCH=asm-dir
#         -P check_cli.cmake
foreach(var APSIM SCN_DIR SEARCH)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_cli.cmake: ${var} is not set")
  endif()
endforeach()

# run(<want-status> <out-var> <err-var> args...)
function(run want out_var err_var)
  execute_process(COMMAND "${APSIM}" ${ARGN}
    WORKING_DIRECTORY "${SCN_DIR}"
    RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT status STREQUAL want)
    message(FATAL_ERROR "apsim ${ARGN}: exit '${status}', expected ${want}\n"
                        "--- stderr:\n${err}--- stdout:\n${out}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
  set(${err_var} "${err}" PARENT_SCOPE)
endfunction()

function(must_match text regex what)
  if(NOT text MATCHES "${regex}")
    message(FATAL_ERROR "${what}: no match for '${regex}' in:\n${text}")
  endif()
endfunction()

run(0 out err --help)
must_match("${out}" "usage: apsim \\[options\\] \\[SCENARIO\\.\\.\\.\\]" "--help")
run(0 out err --version)
must_match("${out}" "^apsim \\(s390ap\\) [0-9]+\\.[0-9]+\\.[0-9]+\n$" "--version")
run(2 out err --no-such-option)
must_match("${err}" "unknown option '--no-such-option'" "unknown option")
run(2 out err -I)
must_match("${err}" "-I needs a directory" "-I without a directory")
run(2 out err no-such-file.scn)
must_match("${err}" "cannot open 'no-such-file.scn'" "missing scenario")
run(0 out err --show-default)
must_match("${out}" "load builtin tour" "--show-default")

# Standard input, and a relative path from stdin resolves through -I.
file(WRITE "${CMAKE_CURRENT_BINARY_DIR}/apsim_stdin.scn"
  "load elf tapq.elf\nset gr 9 0x0306\nrun until halt\nexpect cc == 0\n")
execute_process(COMMAND "${APSIM}" -I "${SEARCH}" -
  INPUT_FILE "${CMAKE_CURRENT_BINARY_DIR}/apsim_stdin.scn"
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "apsim - (stdin): exit ${status}\n${err}")
endif()
run(2 out err - -)
must_match("${err}" "given twice" "stdin twice")

# --trace: one line per instruction, "cycle cpu psw-addr insn mnemonic".
run(0 out err --trace -I "${SEARCH}" tapq.scn)
must_match("${out}" "\n *[0-9]+ 0 0000000000010000 c00f00800000 +LLILF\n" "--trace")
must_match("${out}" " b2af0000 +PQAP\n" "--trace PQAP")

# --stats
run(0 out err --stats -I "${SEARCH}" tapq.scn)
must_match("${out}" "instructions +[1-9]" "--stats instructions")
must_match("${out}" "PQAP +[1-9]" "--stats per instruction")
must_match("${out}" "AP response codes +0x00: [1-9]" "--stats response codes")

# --json: one object on stdout, parsed here; listings go to stderr.
run(0 out err --json -I "${SEARCH}" tapq.scn nqdq.scn)
string(JSON exit_value GET "${out}" exit)
string(JSON n LENGTH "${out}" scenarios)
string(JSON status0 GET "${out}" scenarios 0 status)
string(JSON file1 GET "${out}" scenarios 1 file)
string(JSON insns GET "${out}" scenarios 1 stats instructions)
string(JSON pqap GET "${out}" scenarios 0 stats insns PQAP)
string(JSON state GET "${out}" scenarios 1 cpus 0 state)
if(NOT exit_value EQUAL 0 OR NOT n EQUAL 2 OR NOT status0 STREQUAL "pass" OR
   NOT file1 STREQUAL "nqdq.scn" OR insns LESS 1 OR pqap LESS 1 OR NOT state STREQUAL "halted")
  message(FATAL_ERROR "--json: unexpected content:\n${out}")
endif()

# --json of a guest: its registers in cpus (named by its VM), its SIE
# statistics in guests; --stats lists the guest too.
run(0 out err --json -I "${SEARCH}" guest_tapq.scn)
string(JSON gvm GET "${out}" scenarios 0 cpus 0 guest)
string(JSON ggr2 GET "${out}" scenarios 0 cpus 0 gr 2)
string(JSON gcpu GET "${out}" scenarios 0 guests 0 cpu)
string(JSON ginst GET "${out}" scenarios 0 guests 0 icpt inst)
string(JSON gexits GET "${out}" scenarios 0 guests 0 user_exits)
if(NOT gvm STREQUAL "g" OR NOT ggr2 STREQUAL "0x5a5a" OR NOT gcpu EQUAL 0 OR
   NOT ginst EQUAL 4 OR NOT gexits EQUAL 4)
  message(FATAL_ERROR "--json guests: unexpected content:\n${out}")
endif()
run(0 out err --stats -I "${SEARCH}" guest_tapq.scn)
must_match("${out}" "guest on vCPU 0 \\(VM g\\): SIE entries [1-9]" "--stats guest")

# --json with a failed expectation and a scenario error: exit = the worst.
run(2 out err --json -I "${SEARCH}" bad/fail_expect.scn bad/err_range.scn)
string(JSON exit_value GET "${out}" exit)
string(JSON s0 GET "${out}" scenarios 0 status)
string(JSON nfail GET "${out}" scenarios 0 expectations failed)
string(JSON line0 GET "${out}" scenarios 0 failures 0 line)
string(JSON s1 GET "${out}" scenarios 1 status)
string(JSON eline GET "${out}" scenarios 1 error line)
string(JSON ecol GET "${out}" scenarios 1 error column)
if(NOT exit_value EQUAL 2 OR NOT s0 STREQUAL "fail" OR nfail LESS 1 OR line0 LESS 1 OR
   NOT s1 STREQUAL "error" OR eline LESS 1 OR ecol LESS 1)
  message(FATAL_ERROR "--json failures: unexpected content:\n${out}")
endif()
# --machine FILE: machine statements before the scenario's; errors name the file.
run(2 out err --machine)
must_match("${err}" "--machine needs a file" "--machine without a file")
run(2 out err --machine no-such.machine tapq.scn)
must_match("${err}" "apsim: cannot open 'no-such.machine'" "--machine of a missing file")
run(2 out err --machine machines/bad.machine -I "${SEARCH}" tapq.scn)
must_match("${err}"
           "machines/bad.machine:4:17: error: adapter: the queue depth: 17 is out of range"
           "--machine with an error")
run(2 out err --machine machines/system.machine -I "${SEARCH}" tapq.scn)
must_match("${err}" "machines/system.machine:3:1: error: 'memory' is an apsim system statement"
           "--machine with a system statement")
run(2 out err --check --machine machines/system.machine machine.scn)
run(2 out err --check --machine ../../examples/machines/two-accel.machine machine.scn)
must_match("${err}" "machine.scn:4:1: error: 'machine' must be the first machine statement"
           "--machine and a scenario's own machine statement")
run(0 out err --check --machine ../../examples/machines/two-accel.machine tapq.scn)
run(2 out err --machine machines/bad.machine --machine machines/bad.machine tapq.scn)
must_match("${err}" "--machine given twice" "--machine twice")
# Resource limits: one command or big number past what a scenario may hold
# is an error at that line (WORK: a directory for the generated files).
if(DEFINED WORK)
  string(REPEAT "expect cc == 0\n" 262145 many)
  file(WRITE "${WORK}/many_cmds.scn" "${many}")
  run(2 out err --check "${WORK}/many_cmds.scn")
  must_match("${err}" "many_cmds.scn:262145:1: error: more than 262144 commands in one scenario"
             "command limit")
  string(REPEAT "expect reply 0x1000 result == modexp 2 3 5\n" 5462 bigs)
  file(WRITE "${WORK}/many_bigs.scn" "${bigs}")
  run(2 out err --check "${WORK}/many_bigs.scn")
  must_match("${err}" "many_bigs.scn:5462:1: error: more than 16384 big numbers in one scenario"
             "big number limit")
  file(REMOVE "${WORK}/many_cmds.scn" "${WORK}/many_bigs.scn")
endif()
message(STATUS "apsim command line: all checks passed")
