/* SPDX-License-Identifier: MIT */
/* The matrix suite's fixture: a machine of its own (adapters 3, 4, 5;
 * usage and control domains 6, 7, 8; control-only domain 0; adapter 5
 * implements domains 0-6 only), a dispatcher
 * system on it, the host model with two VMs (the first with a vCPU), and
 * a matrix over them. */
#ifndef S390AP_TESTS_MATRIX_TEST_H
#define S390AP_TESTS_MATRIX_TEST_H

#include <check.h>
#include <stdint.h>
#include <string.h>

#include "s390ap/s390ap.h"
#include "testutil.h"

#define MEM_SIZE (32u << 20)
#define GUEST_SIZE (2u << 20)
#define ALL_FAC (S390AP_FAC_QCI | S390AP_FAC_APFT | S390AP_FAC_AQIC | S390AP_FAC_MSAX3)

#define UUID_A "0e9b5a2c-3f1d-4c6a-9b7e-2d4f6a8c0b1e"
#define UUID_B "7F3A1C2E-5B4D-4E6F-8A9B-0C1D2E3F4A5B"
#define UUID_B_LOWER "7f3a1c2e-5b4d-4e6f-8a9b-0c1d2e3f4a5b"

struct menv {
	s390ap_machine *m;
	s390ap_sys *sys;
	s390ap_kvm *kvm;
	s390ap_vm *vm[2];
	s390ap_vcpu *v; /* vm[0]'s vCPU */
	s390ap_cpu *cpu;
	s390ap_matrix *mx;
};

struct menv_cfg {
	unsigned policy;
	bool masks_zero;
	bool no_kvm;      /* a matrix without a host model */
	bool no_apxa;     /* machine without APXA: max ids 63 / 15 */
	uint8_t na, nd;   /* the machine's Na / Nd (with APXA), 0 = 255 */
	bool vm_no_msax3; /* VMs without MSAX3: a format-0 CRYCB */
};

void menv_open(struct menv *e, const struct menv_cfg *cfg);
void menv_close(struct menv *e);

/* mask helpers */
void mset(uint8_t m[32], unsigned id);
bool mtest(const uint8_t m[32], unsigned id);
/* masks with just these ids (-1 ends each list) */
void mfill(uint8_t m[32], const int *ids);

/* The VM's CRYCB masks (widened to 32 bytes); *fmt the CRYCB format. */
void crycb_masks(struct menv *e, s390ap_vm *vm, uint8_t apm[32], uint8_t aqm[32], uint8_t adm[32],
		 unsigned *fmt);
/* Let the matrix give every queue to vfio_ap (apmask, aqmask zero). */
void free_all(struct menv *e);
/* Run the program on vm[0]'s vCPU with GR9 = gr9 until it is done. */
void guest_run(struct menv *e, const unsigned char *elf, size_t len, uint64_t gr9);
unsigned guest_cc(struct menv *e);
uint8_t guest_rc(struct menv *e);

TCase *matrix_assign_tcase(void);
TCase *matrix_filter_tcase(void);
TCase *matrix_guest_tcase(void);
TCase *matrix_random_tcase(void);

#endif
