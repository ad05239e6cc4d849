/* An ALSA playback PCM that underruns on purpose, for the speaker's underrun-recovery test.
 *
 * It is an ALSA external plugin (ioplug, alsa-lib's <alsa/pcm_ioplug.h>): applications open
 * it by name through ALSA as they would a card. It takes mono S16_LE frames at once, writes
 * them to the file named `output`, plays them instantly once started, and after `underrun_after` frames reports one underrun
 * (its pointer callback returns -EPIPE, which is how a driver says the buffer ran dry); a
 * negative `underrun_after` never underruns.
 * It accepts one rate only (`rate`, default 16000), like a USB card fixed at 48 kHz, so a
 * test can also show ALSA's plug layer converting the voice pack's rate for it.
 * Every event (prepare, start, xrun, stop) is appended as a line to `events`, so the test
 * sees that the underrun happened and that the application recovered from it, and the
 * output file shows whether any frame was lost or written twice across the recovery.
 *
 * Built by the test with: cc -shared -fPIC -o libasound_module_pcm_stallbox_underrun.so
 * pcm_stallbox_underrun.c -lasound
 */
#include <alsa/asoundlib.h>
#include <alsa/pcm_external.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

struct underrun_pcm {
    snd_pcm_ioplug_t io;
    FILE *output;
    FILE *events;
    long underrun_after;   /* frames before the one underrun; <0 once it happened */
    long frames_taken;     /* every frame written to `output` */
    snd_pcm_uframes_t hw;       /* frames played since the last prepare */
    snd_pcm_uframes_t written;  /* frames written since the last prepare */
};

static void event(struct underrun_pcm *pcm, const char *what) {
    fprintf(pcm->events, "%s %ld\n", what, pcm->frames_taken);
    fflush(pcm->events);
}

static int underrun_start(snd_pcm_ioplug_t *io) {
    event(io->private_data, "start");
    return 0;
}

static int underrun_stop(snd_pcm_ioplug_t *io) {
    event(io->private_data, "stop");
    return 0;
}

static int underrun_prepare(snd_pcm_ioplug_t *io) {
    struct underrun_pcm *pcm = io->private_data;
    pcm->hw = 0;
    pcm->written = 0;
    event(pcm, "prepare");
    return 0;
}

static snd_pcm_sframes_t underrun_pointer(snd_pcm_ioplug_t *io) {
    struct underrun_pcm *pcm = io->private_data;
    if (pcm->underrun_after >= 0 && pcm->frames_taken >= pcm->underrun_after
        && io->state == SND_PCM_STATE_RUNNING) {
        pcm->underrun_after = -1;
        event(pcm, "xrun");
        return -EPIPE;
    }
    /* Once started, each look at the pointer finds up to one more period played (no
     * real-time pacing). Never a whole buffer at once: the position is reported modulo the
     * buffer size, and a full buffer's advance would read as none. */
    if (io->state == SND_PCM_STATE_RUNNING || io->state == SND_PCM_STATE_DRAINING) {
        snd_pcm_uframes_t step = pcm->written - pcm->hw;
        if (step > io->period_size) step = io->period_size;
        pcm->hw += step;
    }
    return pcm->hw % io->buffer_size;
}

static snd_pcm_sframes_t underrun_transfer(
    snd_pcm_ioplug_t *io, const snd_pcm_channel_area_t *areas, snd_pcm_uframes_t offset, snd_pcm_uframes_t size) {
    struct underrun_pcm *pcm = io->private_data;
    const char *base = (const char *)areas->addr + (areas->first + areas->step * offset) / 8;
    if (fwrite(base, 2, size, pcm->output) != size) return -EIO;
    fflush(pcm->output);
    pcm->frames_taken += (long)size;
    pcm->written += size;
    return (snd_pcm_sframes_t)size;
}

static int underrun_close(snd_pcm_ioplug_t *io) {
    struct underrun_pcm *pcm = io->private_data;
    event(pcm, "close");
    fclose(pcm->output);
    fclose(pcm->events);
    close(io->poll_fd);
    free(pcm);
    return 0;
}

static const snd_pcm_ioplug_callback_t underrun_callbacks = {
    .start = underrun_start,
    .stop = underrun_stop,
    .prepare = underrun_prepare,
    .pointer = underrun_pointer,
    .transfer = underrun_transfer,
    .close = underrun_close,
};

SND_PCM_PLUGIN_DEFINE_FUNC(stallbox_underrun) {
    const char *output_path = NULL, *events_path = NULL;
    long underrun_after = 4000;
    long rate = 16000;
    snd_config_iterator_t i, next;
    snd_config_for_each(i, next, conf) {
        snd_config_t *node = snd_config_iterator_entry(i);
        const char *id;
        if (snd_config_get_id(node, &id) < 0) continue;
        if (strcmp(id, "comment") == 0 || strcmp(id, "type") == 0 || strcmp(id, "hint") == 0) continue;
        if (strcmp(id, "output") == 0 && snd_config_get_string(node, &output_path) == 0) continue;
        if (strcmp(id, "events") == 0 && snd_config_get_string(node, &events_path) == 0) continue;
        if (strcmp(id, "underrun_after") == 0 && snd_config_get_integer(node, &underrun_after) == 0) continue;
        if (strcmp(id, "rate") == 0 && snd_config_get_integer(node, &rate) == 0) continue;
        SNDERR("stallbox_underrun: unknown or invalid field %s", id);
        return -EINVAL;
    }
    if (output_path == NULL || events_path == NULL) {
        SNDERR("stallbox_underrun: output and events are required");
        return -EINVAL;
    }
    if (stream != SND_PCM_STREAM_PLAYBACK) return -EINVAL;

    struct underrun_pcm *pcm = calloc(1, sizeof(*pcm));
    if (pcm == NULL) return -ENOMEM;
    pcm->underrun_after = underrun_after;
    pcm->output = fopen(output_path, "ab");
    pcm->events = fopen(events_path, "a");
    int poll_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (pcm->output == NULL || pcm->events == NULL || poll_fd < 0) {
        int error = errno;
        if (pcm->output) fclose(pcm->output);
        if (pcm->events) fclose(pcm->events);
        if (poll_fd >= 0) close(poll_fd);
        free(pcm);
        return -error;
    }

    pcm->io.version = SND_PCM_IOPLUG_VERSION;
    pcm->io.name = "Stallbox underrun test PCM";
    pcm->io.callback = &underrun_callbacks;
    pcm->io.private_data = pcm;
    pcm->io.poll_fd = poll_fd;       /* an eventfd is always writable: the device never blocks */
    pcm->io.poll_events = POLLOUT;
    pcm->io.mmap_rw = 0;
    int result = snd_pcm_ioplug_create(&pcm->io, name, stream, mode);
    if (result < 0) {
        fclose(pcm->output);
        fclose(pcm->events);
        close(poll_fd);
        free(pcm);
        return result;
    }

    static const unsigned int accesses[] = {SND_PCM_ACCESS_RW_INTERLEAVED, SND_PCM_ACCESS_MMAP_INTERLEAVED};
    static const unsigned int formats[] = {SND_PCM_FORMAT_S16_LE};
    if ((result = snd_pcm_ioplug_set_param_list(&pcm->io, SND_PCM_IOPLUG_HW_ACCESS, 2, accesses)) < 0
        || (result = snd_pcm_ioplug_set_param_list(&pcm->io, SND_PCM_IOPLUG_HW_FORMAT, 1, formats)) < 0
        || (result = snd_pcm_ioplug_set_param_minmax(&pcm->io, SND_PCM_IOPLUG_HW_CHANNELS, 1, 1)) < 0
        || (result = snd_pcm_ioplug_set_param_minmax(&pcm->io, SND_PCM_IOPLUG_HW_RATE, (unsigned)rate, (unsigned)rate)) < 0
        || (result = snd_pcm_ioplug_set_param_minmax(&pcm->io, SND_PCM_IOPLUG_HW_PERIOD_BYTES, 256, 8192)) < 0
        || (result = snd_pcm_ioplug_set_param_minmax(&pcm->io, SND_PCM_IOPLUG_HW_PERIODS, 2, 64)) < 0
        || (result = snd_pcm_ioplug_set_param_minmax(&pcm->io, SND_PCM_IOPLUG_HW_BUFFER_BYTES, 512, 16384)) < 0) {
        snd_pcm_ioplug_delete(&pcm->io);
        return result;
    }
    *pcmp = pcm->io.pcm;
    return 0;
}

SND_PCM_PLUGIN_SYMBOL(stallbox_underrun);
