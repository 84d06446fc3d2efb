/* SPDX-License-Identifier: MIT */
/* ELF64 big-endian s390 executables.
 *
 * Accepted: ELFCLASS64, ELFDATA2MSB, EV_CURRENT, ET_EXEC, EM_S390 (22),
 * program headers of 56 bytes inside the file.  Every PT_LOAD segment is
 * copied to p_paddr (p_vaddr when p_paddr is 0); memsz - filesz bytes
 * after it are zeroed.  Everything is validated before anything is
 * written, so a rejected file leaves storage untouched.  Other segment
 * types and the section headers are ignored.
 */
#include <string.h>

#include "cpu/cpu_internal.h"

#define EHDR_SIZE 64u
#define PHDR_SIZE 56u
#define ELFCLASS64 2u
#define ELFDATA2MSB 2u
#define EV_CURRENT 1u
#define ET_EXEC 2u
#define EM_S390 22u
#define PT_LOAD 1u
#define PN_XNUM 0xFFFFu

struct seg {
	uint64_t off, filesz, memsz, addr;
};

static struct seg read_phdr(const uint8_t *p)
{
	/* p_type(4) p_flags(4) p_offset(8) p_vaddr(8) p_paddr(8) p_filesz(8)
	 * p_memsz(8) p_align(8) */
	struct seg s = {
		.off = be_get64(p + 8),
		.filesz = be_get64(p + 32),
		.memsz = be_get64(p + 40),
		.addr = be_get64(p + 24),
	};

	if (s.addr == 0)
		s.addr = be_get64(p + 16);
	return s;
}

static int bad(s390ap_sys *sys, const char *what)
{
	return cpu_sys_error(sys, S390AP_EINVAL, "ELF: %s", what);
}

int s390ap_sys_load_elf(s390ap_sys *sys, const void *data, size_t len, uint64_t *entry)
{
	if (!sys)
		return S390AP_EINVAL;
	return cpu_elf_load(sys, data, len, 0, sys->mem_size, entry);
}

int cpu_elf_load(struct s390ap_sys *sys, const void *data, size_t len, uint64_t base, uint64_t size,
		 uint64_t *entry)
{
	const uint8_t *f = data;
	uint64_t phoff, e_entry, nload = 0;
	unsigned phnum, phentsize;

	if (!f || len < EHDR_SIZE)
		return bad(sys, "file shorter than an ELF header");
	if (memcmp(f, "\177ELF", 4) != 0)
		return bad(sys, "no ELF magic");
	if (f[4] != ELFCLASS64)
		return bad(sys, "not ELFCLASS64");
	if (f[5] != ELFDATA2MSB)
		return bad(sys, "not big-endian (ELFDATA2MSB)");
	if (f[6] != EV_CURRENT || be_get32(f + 20) != EV_CURRENT)
		return bad(sys, "unknown ELF version");
	if (be_get16(f + 16) != ET_EXEC)
		return bad(sys, "not an executable (ET_EXEC)");
	if (be_get16(f + 18) != EM_S390)
		return bad(sys, "not an s390 file (EM_S390)");
	e_entry = be_get64(f + 24);
	phoff = be_get64(f + 32);
	phentsize = be_get16(f + 54);
	phnum = be_get16(f + 56);
	if (phnum == 0 || phnum == PN_XNUM)
		return bad(sys, "no program headers");
	if (phentsize != PHDR_SIZE)
		return bad(sys, "program header size is not 56");
	if (phoff > len || (uint64_t)phnum * PHDR_SIZE > len - phoff)
		return bad(sys, "program headers outside the file");
	if (e_entry & 1)
		return bad(sys, "odd entry point");
	if (e_entry >= size)
		return bad(sys, "entry point outside storage");

	/* Pass 1: validate every PT_LOAD. */
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *p = f + phoff + (uint64_t)i * PHDR_SIZE;
		struct seg s;

		if (be_get32(p) != PT_LOAD)
			continue;
		s = read_phdr(p);
		if (s.filesz > s.memsz)
			return bad(sys, "segment file size larger than memory size");
		if (s.off > len || s.filesz > len - s.off)
			return bad(sys, "segment data outside the file");
		if (s.addr > size || s.memsz > size - s.addr)
			return bad(sys, "segment outside storage");
		nload++;
	}
	if (nload == 0)
		return bad(sys, "no PT_LOAD segment");

	/* Pass 2: copy and zero. */
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *p = f + phoff + (uint64_t)i * PHDR_SIZE;
		struct seg s;

		if (be_get32(p) != PT_LOAD)
			continue;
		s = read_phdr(p);
		memcpy(sys->mem_data + base + s.addr, f + s.off, (size_t)s.filesz);
		memset(sys->mem_data + base + s.addr + s.filesz, 0, (size_t)(s.memsz - s.filesz));
		cpu_code_written(sys, base + s.addr, s.memsz);
	}
	if (entry)
		*entry = e_entry;
	return 0;
}
