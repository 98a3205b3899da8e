#ifndef CFFMPEG_SHIM_H
#define CFFMPEG_SHIM_H
#include <errno.h>
#include <libavformat/avformat.h>
#include <libavformat/avio.h>
#include <libavcodec/avcodec.h>
#include <libavutil/avutil.h>
#include <libavutil/display.h>
#include <libavutil/imgutils.h>
#include <libavutil/mathematics.h>
#include <libavutil/opt.h>
#include <libavutil/parseutils.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>

// Swift does not import function-like macros or macros built from FFERRTAG and compound
// literals; these expose FFmpeg's error codes and constants as functions. They can go once
// Swift imports such macros.
static inline int cffmpeg_error_again(void) { return AVERROR(EAGAIN); }
static inline int cffmpeg_error_eof(void) { return AVERROR_EOF; }
static inline int cffmpeg_error_invalid_data(void) { return AVERROR_INVALIDDATA; }
static inline int cffmpeg_error_decoder_not_found(void) { return AVERROR_DECODER_NOT_FOUND; }
static inline int cffmpeg_error_encoder_not_found(void) { return AVERROR_ENCODER_NOT_FOUND; }
static inline int cffmpeg_error_invalid_argument(void) { return AVERROR(EINVAL); }
static inline int cffmpeg_error_no_entry(void) { return AVERROR(ENOENT); }
static inline int cffmpeg_error_io(void) { return AVERROR(EIO); }
static inline int64_t cffmpeg_nopts_value(void) { return AV_NOPTS_VALUE; }
#endif
