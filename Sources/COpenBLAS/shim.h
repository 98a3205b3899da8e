#ifndef COPENBLAS_SHIM_H
#define COPENBLAS_SHIM_H
// Debian's alternatives point this at OpenBLAS's cblas.h, which also declares openblas_set_num_threads.
#include <cblas.h>
#endif
