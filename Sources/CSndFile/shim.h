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

/* SF_CUES holds its points in a fixed array that Swift sees as a 100-tuple;
   this reads the position (in frames) of one of them. Returns 0 for an index
   out of range. */
static inline int openloop_cue_position(const SF_CUES *cues, int index, uint32_t *position) {
    if (index < 0 || index >= (int) cues->cue_count || index >= 100) return 0;
    *position = cues->cue_points[index].sample_offset;
    return 1;
}

/* Sets cue point `index` at `position` frames and raises the count to include it. */
static inline int openloop_set_cue_position(SF_CUES *cues, int index, uint32_t position) {
    if (index < 0 || index >= 100) return 0;
    cues->cue_points[index].indx = index + 1;
    cues->cue_points[index].position = position;
    cues->cue_points[index].fcc_chunk = 0x61746164; /* "data" */
    cues->cue_points[index].chunk_start = 0;
    cues->cue_points[index].block_start = 0;
    cues->cue_points[index].sample_offset = position;
    cues->cue_points[index].name[0] = 0;
    if ((uint32_t) index >= cues->cue_count) cues->cue_count = index + 1;
    return 1;
}
