#include "CKernels.h"

#include <cpuid.h>
#include <stdint.h>

// cpuid and xgetbv directly rather than __builtin_cpu_supports: the builtin needs __cpu_model from
// libgcc or compiler-rt, which a Swift link on Linux does not always pull in, and it does not ask
// whether the OS saves the zmm registers (a kernel or hypervisor may switch AVX-512 off).
static bool detect(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return false;
    if (!(c & bit_OSXSAVE)) return false;
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    (void)hi;
    // SSE (1), AVX (2), opmask (5), upper halves of zmm0-15 (6), zmm16-31 (7).
    const uint32_t zmmState = (1u << 1) | (1u << 2) | (1u << 5) | (1u << 6) | (1u << 7);
    if ((lo & zmmState) != zmmState) return false;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
    const unsigned wanted = bit_AVX512F | bit_AVX512BW | bit_AVX512VL | bit_AVX512DQ | bit_AVX2;
    return (b & wanted) == wanted;
}

bool ckernels_cpu_has_avx512(void) {
    // A benign race: every thread computes the same answer.
    static int cached = -1;
    int value = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (value < 0) {
        value = detect() ? 1 : 0;
        __atomic_store_n(&cached, value, __ATOMIC_RELAXED);
    }
    return value == 1;
}
