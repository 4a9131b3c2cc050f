"""Audio facts the gateway needs for pricing: how long an MP3 is.

Workers AI prices melotts per audio minute but returns only the MP3, so the duration comes from the
MP3 itself. Walking the frame headers is exact for CBR and VBR files and needs no decoder; it is written
here because the available libraries (mutagen, pydub+ffmpeg) would add a dependency for ~30 lines.
"""

from __future__ import annotations

# Layer III bitrates in kbps by bitrate index, for MPEG-1 and for MPEG-2/2.5.
_BITRATES_V1 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0)
_BITRATES_V2 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0)
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}


def _skip_id3(data: bytes) -> int:
    if len(data) >= 10 and data[:3] == b"ID3":
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        return 10 + size
    return 0


def mp3_duration_seconds(data: bytes) -> float | None:
    """Seconds of audio in an MPEG Layer III stream, or None if no frame is found."""
    pos = _skip_id3(data)
    end = len(data)
    seconds = 0.0
    frames = 0
    while pos + 4 <= end:
        b1, b2 = data[pos + 1], data[pos + 2]
        version = (b1 >> 3) & 0x3  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5
        layer = (b1 >> 1) & 0x3  # 1: Layer III
        bitrate_index = b2 >> 4
        rate_index = (b2 >> 2) & 0x3
        if data[pos] != 0xFF or (b1 & 0xE0) != 0xE0 or version == 1 or layer != 1 or rate_index == 3:
            pos += 1  # not a frame header: resync byte by byte
            continue
        bitrate = (_BITRATES_V1 if version == 3 else _BITRATES_V2)[bitrate_index] * 1000
        if bitrate == 0:
            pos += 1
            continue
        sample_rate = _SAMPLE_RATES[version][rate_index]
        samples = 1152 if version == 3 else 576
        padding = (b2 >> 1) & 0x1
        length = samples // 8 * bitrate // sample_rate + padding
        seconds += samples / sample_rate
        frames += 1
        pos += max(length, 4)
    return seconds if frames else None


def silent_mp3(seconds: float) -> bytes:
    """A valid MPEG-1 Layer III stream of ``seconds`` of silence (32 kbps, 32 kHz, mono frames).

    Used by tests' fake upstreams to return audio whose duration the gateway can measure.
    """
    header = bytes((0xFF, 0xFB, 0x18, 0xC4))  # MPEG-1 L3, no CRC, 32 kbps, 32 kHz, mono
    frame = header + bytes(144 - 4)  # 144 * 32000 / 32000 bytes per frame, 1152 samples = 36 ms
    return frame * max(1, round(seconds / 0.036))
