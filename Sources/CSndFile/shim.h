#include <sndfile.h>
#include <stdint.h>

/* SF_INSTRUMENT's loops are an array of an anonymous struct, which Swift
   cannot name; this reads one of them. Returns 0 for an index out of range. */
static inline int openloop_instrument_loop(const SF_INSTRUMENT *instrument, int index, uint32_t *start, uint32_t *end) {
    if (index < 0 || index >= 16) return 0;
    *start = instrument->loops[index].start;
    *end = instrument->loops[index].end;
    return 1;
}

/* Sets one of SF_INSTRUMENT's loops (see openloop_instrument_loop). */
static inline int openloop_set_instrument_loop(SF_INSTRUMENT *instrument, int index, int mode, uint32_t start, uint32_t end) {
    if (index < 0 || index >= 16) return 0;
    instrument->loops[index].mode = mode;
    instrument->loops[index].start = start;
    instrument->loops[index].end = end;
    instrument->loops[index].count = 0;
    return 1;
}
