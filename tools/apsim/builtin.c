/* SPDX-License-Identifier: MIT */
/* apsim's built-in material: the default scenario (a short tour of what the
 * system does today) and the programs it runs. */
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "util/array.h"

/* The images of programs/tour.S and programs/rsa.S, assembled, linked at
 * 0x10000 and embedded by the build (tools/apsim/CMakeLists.txt):
 * static const unsigned char tour_image[], rsa_image[]. */
#include "tour_image.inc"
#include "rsa_image.inc"
#include "probe_image.inc"
#include "hyp_image.inc"

static const struct apsim_builtin builtins[] = {
	/* the default tour: QCI, TAPQ, RAPQ, AQIC, NQAP, DQAP, an adapter interruption */
	{ "tour", 0x10000, 0x10000, tour_image, sizeof(tour_image) },
	/* NQAP the request at 0x20000 to the APQN in GR9, DQAP its reply to 0x30000 */
	{ "rsa", 0x10000, 0x10000, rsa_image, sizeof(rsa_image) },
	/* one TAPQ (T bit) on the APQN in GR9, then DIAG 0x44; host or guest */
	{ "probe", 0x10000, 0x10000, probe_image, sizeof(probe_image) },
	/* a guest-2 hypervisor: SIE on guest-3's SCB at GR14, then DIAG 0x44 */
	{ "hyp", 0x10000, 0x10000, hyp_image, sizeof(hyp_image) },
};

const struct apsim_builtin *apsim_builtin_find(const char *name)
{
	for (size_t k = 0; k < ARRAY_SIZE(builtins); k++)
		if (strcmp(builtins[k].name, name) == 0)
			return &builtins[k];
	return NULL;
}

const char *apsim_builtin_names(void)
{
	return "tour, rsa, probe, hyp";
}

/* The default scenario.  `apsim --show-default` prints it; it is a good
 * start for a scenario of your own (docs/scenario.md). */
static const char default_host[] =
	"# apsim's built-in tour: the default machine, then real s390x code doing\n"
	"# QCI, TAPQ, RAPQ, AQIC, NQAP and DQAP on queue 03.0006, taking the\n"
	"# adapter interruption the reply raises, an RSA operation on 03.0006 and\n"
	"# random numbers from the CCA coprocessor 04.0006; last, the same TAPQ\n"
	"# from the host and from a guest whose CRYCB grants only 03.0006; then the\n"
	"# guest gets adapter 04's queues through a vfio_ap mdev; last, the guest\n"
	"# runs a guest of its own (vSIE) and the three levels' views are shown.\n"
	"echo \"The default machine (adapters 03 04 05; usage domains 6, 7, 0x47):\"\n"
	"print config\n"
	"echo\n"
	"echo \"The built-in program 'tour' runs at 0x10000; each DIAG 0x44 pauses it here.\"\n"
	"load builtin tour\n"
	"echo\n"
	"echo \"1. PQAP(QCI) stores the configuration at 0x2000: APM +16, AQM +48, ADM +80\"\n"
	"run until halt\n"
	"expect cc == 0\n"
	"expect storage 0x2010 == 1c                        # adapters 03 04 05\n"
	"expect storage 0x2030 == 03 00 00 00 00 00 00 00 01 # domains 6 7 0x47\n"
	"print storage 0x2000 0x60\n"
	"resume\n"
	"echo\n"
	"echo \"2. PQAP(TAPQ) with the T bit: status in GR1, facilities and type in GR2\"\n"
	"run until halt\n"
	"expect cc == 0\n"
	"expect gr 1 == 0x80000000                          # E: the queue is empty\n"
	"expect gr 2 & 0xff000000 == 0x0e000000             # AP type 14 (CEX8)\n"
	"print sw\n"
	"print gr 2\n"
	"resume\n"
	"echo\n"
	"echo \"3. PQAP(RAPQ), then TAPQ while the reset runs: RC 0x02\"\n"
	"run until halt\n"
	"expect gr 1 & 0xff0000 == 0x020000\n"
	"print sw\n"
	"resume\n"
	"run until halt\n"
	"expect cc == 0\n"
	"expect gr 8 > 1\n"
	"echo \"   the reset completed; TAPQs until then (GR8):\"\n"
	"print gr 8\n"
	"resume\n"
	"echo\n"
	"echo \"4. PQAP(AQIC): interruptions on, ISC 6, NIB at 0x2100 (CR6 enables ISC 6)\"\n"
	"run until halt\n"
	"expect cc == 0\n"
	"print sw\n"
	"resume\n"
	"echo\n"
	"echo \"5. NQAP a type 50 request, then DQAP at once: RC 0x10, E off (in process)\"\n"
	"run until halt\n"
	"expect gr 1 & 0x80ff0000 == 0x00100000\n"
	"expect queue 03.0006 requests == 1\n"
	"print sw\n"
	"resume\n"
	"echo\n"
	"echo \"6. Enabled wait; the reply raises an adapter interruption; the handler DQAPs\"\n"
	"run until halt\n"
	"expect cc == 0\n"
	"expect gr 12 == 0xb0000000                         # I/O interruption word: ISC 6\n"
	"expect irq-count 6 == 1\n"
	"expect stat io == 1\n"
	"expect storage 0x2100 == 01                        # NIB set by the adapter\n"
	"expect storage 0x4001 == 82          # a type 82 reply: 0x118 bytes is no type 50 block\n"
	"print sw\n"
	"print gr 4 5\n"
	"print storage 0x4000 8\n"
	"resume\n"
	"run until halt\n"
	"expect state halted\n"
	"expect exit == 0\n"
	"echo\n"
	"echo \"7. RSA-1024 on 03.0006: apsim writes a type 50 ME request at 0x20000; the\"\n"
	"echo \"   built-in program 'rsa' NQAPs it and DQAPs the type 80 reply to 0x30000\"\n"
	"# n: the modulus of a fixed test key (openssl genrsa 1024); m: \"Hello, s390ap\"\n"
	"let n = 0x"
	"bcb85c6c48ff3c7f5b367957ab2203454f12871aec686b9bedd0e81783f48f41"
	"4aaac47b6d9906f939db1ea657e79dd8eacb570c2fd46da05d7a9a953e408011"
	"dda7c555653ce755cc6edd6a8993ad8022c54160dff2c0a286944dac6037805b"
	"e2efdeb0da3c6e5411136d19ab570646d9e60f8ee744d9880410b5e986408ad3\n"
	"let m = 0x48656c6c6f2c20733339306170\n"
	"load builtin rsa\n"
	"request type50 me at 0x20000 modulus n exponent 65537 message m length len\n"
	"set gr 9 0x0306                                    # the APQN\n"
	"set gr 7 len                                       # the request's length (0x190)\n"
	"run until halt\n"
	"expect exit == 0\n"
	"expect reply 0x30000 type == 0x80\n"
	"expect reply 0x30000 result == modexp m 65537 n    # m^e mod n, by apsim with OpenSSL\n"
	"print reply 0x30000\n"
	"echo\n"
	"echo \"8. CCA on 04.0006: 16 random bytes (\\\"RL\\\"), a type 6 request, a type 86 reply\"\n"
	"start\n"
	"request cca rl at 0x20000 count 16 length rl\n"
	"set gr 9 0x0406\n"
	"set gr 7 rl\n"
	"run until halt\n"
	"expect exit == 0\n"
	"expect reply 0x30000 rc == 0                       # CCA return code 0\n"
	"expect reply 0x30000 data-length == 16\n"
	"print reply 0x30000\n"
	"print storage 0x30114 16                           # the data block at offset2 0x114\n";

/* The second part (one string literal stays within what C compilers must
 * take): a guest under SIE. */
static const char default_guest[] =
	"echo\n"
	"echo \"9. The same TAPQ from the host and from a guest under SIE. The built-in\"\n"
	"echo \"   program 'probe' does one TAPQ on the APQN in GR9. The host sees 04.0006:\"\n"
	"load builtin probe\n"
	"set gr 9 0x0406\n"
	"run until halt\n"
	"expect cc == 0\n"
	"expect gr 1 == 0x80000000                          # E: empty, RC 0\n"
	"print sw\n"
	"echo \"   A VM at 8M (4 MiB of the host's storage) whose CRYCB grants only 03.0006;\"\n"
	"echo \"   its AP instructions are interpreted against the CRYCB (ECA_APIE):\"\n"
	"vm guest mso 8M size 4M model qci,apft,aqic,msax3\n"
	"vm guest attr enable-apie\n"
	"vm guest grant 03.0006\n"
	"vm guest vcpu 0                                    # on vCPU 0, in SIE\n"
	"print vm guest\n"
	"print crycb guest\n"
	"vm guest load builtin probe\n"
	"vm guest start\n"
	"set gr 9 0x0306                                    # the guest's GR9\n"
	"run until halt\n"
	"expect cc == 0\n"
	"expect gr 1 & 0x80ff0000 == 0x80000000   # E, RC 0 (I: step 4's AQIC on the host)\n"
	"print sw\n"
	"echo \"   The guest's TAPQ on 04.0006, outside its CRYCB: RC 0x01, cc 3\"\n"
	"vm guest start\n"
	"set gr 9 0x0406\n"
	"run until halt\n"
	"expect cc == 3\n"
	"expect gr 1 & 0xffffffff == 0x00010000             # RC 0x01: not available\n"
	"expect icpt 0 PQAP == 0                            # interpreted, never intercepted\n"
	"expect scb 0 eca & 0x8 == 0x8                      # ECA_APIE\n"
	"print sw\n"
	"echo \"   The guest's SIE control block (the DIAG 0x44 that ended it is its last\"\n"
	"echo \"   interception):\"\n"
	"print scb 0\n";

/* The third part: the same guest through the vfio-ap matrix. */
static const char default_matrix[] =
	"echo\n"
	"echo \"10. The guest through vfio_ap, as an administrator and QEMU set it up: free\"\n"
	"echo \"    adapter 04 from the default driver, create an mdev, assign 04.0006 and\"\n"
	"echo \"    04.0007, open it on the guest; the CRYCB gets the mdev's guest matrix.\"\n"
	"vm guest masks none                                # forget the grant of step 9\n"
	"sysfs write bus/ap/apmask -4                       # echo -4 > /sys/bus/ap/apmask\n"
	"mdev create 0e9b5a2c-3f1d-4c6a-9b7e-2d4f6a8c0b1e\n"
	"sysfs write devices/vfio_ap/matrix/0e9b5a2c-3f1d-4c6a-9b7e-2d4f6a8c0b1e/assign_adapter 4\n"
	"mdev 0e9b5a2c-3f1d-4c6a-9b7e-2d4f6a8c0b1e assign-domain 6\n"
	"mdev 0e9b5a2c-3f1d-4c6a-9b7e-2d4f6a8c0b1e assign-domain 7\n"
	"mdev 0e9b5a2c-3f1d-4c6a-9b7e-2d4f6a8c0b1e assign-control-domain 6\n"
	"mdev 0e9b5a2c-3f1d-4c6a-9b7e-2d4f6a8c0b1e open guest\n"
	"expect mdev 0e9b5a2c-3f1d-4c6a-9b7e-2d4f6a8c0b1e guest-matrix == \"04.0006 04.0007\"\n"
	"expect queue 04.0006 use == in-use\n"
	"print matrix\n"
	"print crycb guest\n"
	"echo \"   The guest's TAPQ on 04.0006, in its matrix now: RC 0\"\n"
	"vm guest start\n"
	"set gr 9 0x0406\n"
	"run until halt\n"
	"expect cc == 0\n"
	"expect gr 1 & 0xff0000 == 0\n"
	"print sw\n"
	"echo \"   and on 03.0006, which is not the mdev's: RC 0x01\"\n"
	"vm guest start\n"
	"set gr 9 0x0306\n"
	"run until halt\n"
	"expect cc == 3\n"
	"expect gr 1 & 0xff0000 == 0x010000\n"
	"print sw\n";

/* The fourth part: the guest runs a guest of its own (vSIE). */
static const char default_nested[] =
	"echo\n"
	"echo \"11. Nested guests (vSIE): the guest becomes a hypervisor. The built-in 'hyp'\"\n"
	"echo \"    issues SIE on guest-3's SCB at guest address 0x300000 (in GR14); guest-3's\"\n"
	"echo \"    1 MiB window starts at guest 0x100000, its CRYCB at 0x301000 asks for every\"\n"
	"echo \"    APQN. The host shadows that SIE: guest-3 gets only what the guest has.\"\n"
	"vm guest load builtin hyp\n"
	"vm guest load builtin probe at 0x100000            # guest-3's program, at its 0x10000\n"
	"vm guest g3 crycb 0x301000 format 2 apm 0-255 aqm 0-255 adm 0-255\n"
	"vm guest g3 scb 0x300000 window 0x100000 apie crycb 0x301000 format 2\n"
	"vm guest start\n"
	"set gr 14 0x300000                                 # hyp's SIE operand\n"
	"set gr 9 0x0406                                    # guest-3's GR9 (GR0-13 are shared)\n"
	"run until halt\n"
	"expect g3scb guest icptcode == 0x04                # guest-3's DIAG 0x44, to the guest\n"
	"expect gr 1 & 0xff0000 == 0                        # guest-3's TAPQ on 04.0006: RC 0\n"
	"expect shadow crycb 0 apqns == \"04.0006 04.0007\"   # all ones AND the guest's\n"
	"expect vsie 0 entries == 1\n"
	"print sw                                           # the guest's SIE cc, guest-3's GR1\n"
	"print views 0\n"
	"echo \"   Guest-3's TAPQ on 03.0006, the machine's but not the guest's: RC 0x01\"\n"
	"vm guest g3 scb 0x300000 window 0x100000 apie crycb 0x301000 format 2\n"
	"vm guest start\n"
	"set gr 14 0x300000\n"
	"set gr 9 0x0306\n"
	"run until halt\n"
	"expect gr 1 & 0xff0000 == 0x010000\n"
	"expect g3scb guest gpsw0 & 0x300000000000 == 0x300000000000   # guest-3's cc 3\n"
	"expect icpt 0 PQAP == 0                            # interpreted at every level\n"
	"print sw\n"
	"echo\n"
	"echo \"After the tour (adapter 04's queues are vfio_ap's; 'in use' by the guest):\"\n"
	"print config\n";

char *apsim_default_scenario(size_t *len)
{
	size_t nh = sizeof(default_host) - 1, ng = sizeof(default_guest) - 1;
	size_t nm = sizeof(default_matrix) - 1, nn = sizeof(default_nested) - 1;
	char *s = malloc(nh + ng + nm + nn + 1);

	if (!s)
		return NULL;
	memcpy(s, default_host, nh);
	memcpy(s + nh, default_guest, ng);
	memcpy(s + nh + ng, default_matrix, nm);
	memcpy(s + nh + ng + nm, default_nested, nn + 1);
	if (len)
		*len = nh + ng + nm + nn;
	return s;
}
