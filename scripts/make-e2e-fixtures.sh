#!/usr/bin/env bash
# Regenerates the small clips the e2e suite opens. Needs ffmpeg (with libx264, libvpx, libx265)
# and the DejaVu fonts. The outputs are committed, so CI never runs this.
#
# Every frame carries its own index twice: as large visible text, and as a 10-bit code in a row
# of squares along the top (white = 1, least significant bit on the left) that a test reads back
# from pixels. A square is 32x32 at x = 16 + 40*k, y = 16; its centre is (32 + 40*k, 32).
set -euo pipefail
cd "$(dirname "$0")/../e2e/fixtures"
font=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf

bits=""
for k in $(seq 0 9); do
  bits+=",drawbox=x=$((16 + 40 * k)):y=16:w=32:h=32:color=white:t=fill:enable='eq(mod(floor(n/$((1 << k))),2),1)'"
done
# A frame-indexed pattern: dark blue background, a grey strip behind the code, the number in text.
vf="drawbox=x=8:y=8:w=408:h=48:color=0x404040:t=fill${bits},drawtext=fontfile=${font}:text='%{frame_num}':x=(w-text_w)/2:y=(h-text_h)/2+20:fontsize=120:fontcolor=white"

# H.264 with B-frames (reordering), a keyframe every 30 frames, moov up front.
ffmpeg -y -loglevel error -f lavfi -i "color=c=0x102040:s=640x360:r=30:d=3" -vf "$vf" \
  -c:v libx264 -preset medium -crf 16 -bf 2 -g 30 -pix_fmt yuv420p -movflags +faststart frames-h264.mp4
# VP8 in WebM, 25 fps, a keyframe every 25 frames.
ffmpeg -y -loglevel error -f lavfi -i "color=c=0x102040:s=640x360:r=25:d=3" -vf "$vf" \
  -c:v libvpx -b:v 1M -crf 8 -g 25 -auto-alt-ref 0 -pix_fmt yuv420p frames-vp8.webm

# Bad inputs.
printf 'This is a text file, not a video.\n' > not-a-video.txt
# An MP4 whose moov atom is at the end, cut in half: the index is missing.
ffmpeg -y -loglevel error -f lavfi -i "color=c=0x102040:s=320x180:r=30:d=2" -vf "$vf" \
  -c:v libx264 -preset medium -crf 30 -g 30 -pix_fmt yuv420p /tmp/vss-full.mp4
head -c $(( $(stat -c %s /tmp/vss-full.mp4) / 2 )) /tmp/vss-full.mp4 > truncated.mp4
rm -f /tmp/vss-full.mp4
# HEVC in MP4: Chromium has no software HEVC decoder, so neither WebCodecs nor <video> can show it.
ffmpeg -y -loglevel error -f lavfi -i "color=c=0x102040:s=320x180:r=30:d=1" -vf "$vf" \
  -c:v libx265 -x265-params log-level=error -crf 30 -tag:v hvc1 -pix_fmt yuv420p -movflags +faststart hevc.mp4
# A phone video: the H.264 clip with a display matrix that turns it 90° clockwise, so players
# show it upright as 360x640. ffprobe reports that matrix as rotation=-90 (it counts
# counterclockwise). ffmpeg 6+ sets it with -display_rotation (counterclockwise degrees) on the
# input; older ffmpeg with the mov muxer's rotate tag, whose sign has changed between versions, so
# the result is checked rather than trusted.
if ffmpeg -hide_banner -h full 2>/dev/null | grep -q display_rotation; then
  ffmpeg -y -loglevel error -display_rotation -90 -i frames-h264.mp4 -c copy -movflags +faststart rotated-90.mp4
else
  ffmpeg -y -loglevel error -i frames-h264.mp4 -c copy -metadata:s:v rotate=270 -movflags +faststart rotated-90.mp4
  if [ "$(ffprobe -v error -select_streams v -show_entries stream_side_data=rotation -of csv=p=0 rotated-90.mp4)" != "-90" ]; then
    ffmpeg -y -loglevel error -i frames-h264.mp4 -c copy -metadata:s:v rotate=90 -movflags +faststart rotated-90.mp4
  fi
fi
test "$(ffprobe -v error -select_streams v -show_entries stream_side_data=rotation -of csv=p=0 rotated-90.mp4)" = "-90"

# Damaged copies of the H.264 clip (its index, moov, is at the front):
# cut at 40 %: the index lists every frame, the data of the later ones is missing;
size=$(stat -c %s frames-h264.mp4)
head -c $(( size * 40 / 100 )) frames-h264.mp4 > cut-40.mp4
# and its second half overwritten with (reproducible) random bytes: the index is intact, the
# frames there cannot be decoded.
half=$(( size / 2 ))
{
  head -c $half frames-h264.mp4
  openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f -iv 0 -in /dev/zero 2>/dev/null | head -c $(( size - half ))
} > garbage-half.mp4
ls -l
