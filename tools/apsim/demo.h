/* apsim's built-in default: a short tour of the AP model. */
#ifndef APSIM_DEMO_H
#define APSIM_DEMO_H

#include <stdio.h>

/* Runs the tour, printing to out.  Returns 0, or 1 if a step did not give
 * the architected result (the tour checks itself). */
int apsim_demo(FILE *out);

#endif
