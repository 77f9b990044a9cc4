#include <x86intrin.h>
extern unsigned long fprof[16];
#define FP(i, t) do { _mm_lfence(); unsigned long _n = __rdtsc(); fprof[i] += _n - (t); (t) = _n; } while (0)
