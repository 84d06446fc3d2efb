/* SPDX-License-Identifier: MIT */
/* s390ap — umbrella header: an emulation of the IBM Z AP crypto stack. */
#ifndef S390AP_S390AP_H
#define S390AP_S390AP_H

#include "s390ap/cpu.h"
#include "s390ap/crycb.h"
#include "s390ap/desc.h"
#include "s390ap/engine.h"
#include "s390ap/error.h"
#include "s390ap/export.h"
#include "s390ap/insn.h"
#include "s390ap/kvm.h"
#include "s390ap/listing.h"
#include "s390ap/machine.h"
#include "s390ap/matrix.h"
#include "s390ap/msgfmt.h"
#include "s390ap/sie.h"
#include "s390ap/state.h"
#include "s390ap/storage.h"
#include "s390ap/version.h"
#include "s390ap/view.h"

#endif
