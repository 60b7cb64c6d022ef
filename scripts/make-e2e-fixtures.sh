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
  # openssl dies of SIGPIPE when head has enough; with pipefail that would end the script here.
  { openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f -iv 0 -in /dev/zero 2>/dev/null || true; } | head -c $(( size - half ))
} > garbage-half.mp4
ls -l

# A 3-video V2P-Bench folder (issue 14; records as protocol §4.1 writes them), v2p-mini/, and the
# same folder as v2p-mini.zip. Generated here, so no licence questions. Two videos share a file
# name in different folders (Alpha/clip.mp4, Beta/clip.mp4): a bad-input case the importer must
# keep apart. Every frame carries the code above; each video has its own background colour so a
# test can tell by pixels which video a frame came from:
#   videos/Alpha/clip.mp4  0x102040 (dark blue)   2.0 s, 50 frames
#   videos/Beta/clip.mp4   0x402010 (dark brown)  3.0 s, 75 frames
#   videos/Beta/walk.mp4   0x104020 (dark green)  2.4 s, 60 frames
# One frame image per record (two for the record whose frame_path is a list): frame N of its
# video, decoded from the clip, with a thick red rectangle (the visual prompt, around the number)
# and a 40x40 marker of its own colour at x = w-56, y = h-56 (centre (604, 324)) so a test can tell
# by pixels which image was sent:
#   frames/Alpha/clip.jpg       Alpha/clip frame 20  0xffff00 (yellow)
#   frames/Beta/clip.jpg        Beta/clip  frame 30  0x00ffff (cyan)
#   frames/Beta/clip_0040.jpg   Beta/clip  frame 40  0xff00ff (magenta)
#   frames/Beta/walk_0012.jpg   Beta/walk  frame 12  0x00ff00 (green)
#   frames/Beta/walk_0050.jpg   Beta/walk  frame 50  0xff8000 (orange)
# The list is repeated in v2p-mini/README.md; keep the two in step.
v2p=v2p-mini
rm -rf "$v2p" "$v2p.zip"
mkdir -p "$v2p/videos/Alpha" "$v2p/videos/Beta" "$v2p/frames/Alpha" "$v2p/frames/Beta"
v2p_clip() { # <path under videos/> <background> <seconds>
  ffmpeg -y -loglevel error -f lavfi -i "color=c=$2:s=640x360:r=25:d=$3" -vf "$vf" \
    -c:v libx264 -preset medium -crf 30 -bf 2 -g 25 -pix_fmt yuv420p -movflags +faststart "$v2p/videos/$1"
  # The records' duration must be the file's.
  test "$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$v2p/videos/$1")" = "$(printf '%.6f' "$3")"
}
v2p_clip Alpha/clip.mp4 0x102040 2
v2p_clip Beta/clip.mp4 0x402010 3
v2p_clip Beta/walk.mp4 0x104020 2.4
v2p_frame() { # <video under videos/> <frame number> <image under frames/> <marker colour>
  ffmpeg -y -loglevel error -i "$v2p/videos/$1" \
    -vf "select=eq(n\,$2),drawbox=x=200:y=110:w=240:h=180:color=0xff0000:t=10,drawbox=x=iw-56:y=ih-56:w=40:h=40:color=$4:t=fill" \
    -frames:v 1 -update 1 -q:v 5 "$v2p/frames/$3"
}
v2p_frame Alpha/clip.mp4 20 Alpha/clip.jpg 0xffff00
v2p_frame Beta/clip.mp4 30 Beta/clip.jpg 0x00ffff
v2p_frame Beta/clip.mp4 40 Beta/clip_0040.jpg 0xff00ff
v2p_frame Beta/walk.mp4 12 Beta/walk_0012.jpg 0x00ff00
v2p_frame Beta/walk.mp4 50 Beta/walk_0050.jpg 0xff8000
# The benchmark's fields in its order. Records about one video are not adjacent (Beta/clip comes
# first and third), so videos are found in order of first appearance: Beta/clip, Alpha/clip,
# Beta/walk. Multiple choice: options "\nA: ..." then MC_PROMPT, exactly as protocol §2.2.
mc='\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.'
cat > "$v2p/dataset_info.json" <<JSON
[
  {"video_id": "beta_clip", "video_path": "Beta/clip.mp4", "duration": 3, "question": "What number is written inside the highlighted box?\nA: 12\nB: 30\nC: 40\nD: 50$mc", "answer": "B", "source": "Beta", "frame_path": "Beta/clip.jpg", "dimension": 1, "category": 1},
  {"video_id": "alpha_clip", "video_path": "Alpha/clip.mp4", "duration": 2, "question": "How many white squares are in the grey strip above the target in the highlighted box?\nA: 4\nB: 3\nC: 2\nD: 1$mc", "answer": "C", "source": "Alpha", "frame_path": "Alpha/clip.jpg", "dimension": 14, "category": 2},
  {"video_id": "beta_clip", "video_path": "Beta/clip.mp4", "duration": 3, "question": "What number is written inside the highlighted box, and what number is shown one second later?", "answer": "40, then 65", "source": "Beta", "frame_path": "Beta/clip_0040.jpg", "dimension": 9, "category": 3},
  {"video_id": "beta_walk", "video_path": "Beta/walk.mp4", "duration": 2.4, "question": "How many frames apart are the two frames with a highlighted box?\nA: 38\nB: 25\nC: 12\nD: 50$mc", "answer": "A", "source": "Beta", "frame_path": ["Beta/walk_0012.jpg", "Beta/walk_0050.jpg"], "dimension": 10, "category": 4}
]
JSON
cat > "$v2p/README.md" <<'MD'
# v2p-mini: a 3-video V2P-Bench folder for the e2e tests

Generated by scripts/make-e2e-fixtures.sh (ffmpeg test patterns): no third-party data, no licence
questions. Layout and records as V2P-Bench ships them (protocol §4.1): `dataset_info.json`,
`videos/<Source>/<name>.mp4`, `frames/<Source>/<name>.jpg`. `../v2p-mini.zip` is this folder zipped.

Videos: 640x360, 25 fps, H.264, the frame number burnt in (text and the 10-bit code along the top).
Background colour per video:

- videos/Alpha/clip.mp4: 0x102040 (dark blue), 2.0 s, 50 frames
- videos/Beta/clip.mp4: 0x402010 (dark brown), 3.0 s, 75 frames
- videos/Beta/walk.mp4: 0x104020 (dark green), 2.4 s, 60 frames

Frame images (640x360): frame N of the video with a red rectangle (x 200-440, y 110-290, 10 px)
and a 40x40 marker of the colour below at x 584-624, y 304-344 (centre 604, 324):

- frames/Alpha/clip.jpg: Alpha/clip.mp4 frame 20, 0xffff00 (yellow); record 1 (multiple choice)
- frames/Beta/clip.jpg: Beta/clip.mp4 frame 30, 0x00ffff (cyan); record 0 (multiple choice)
- frames/Beta/clip_0040.jpg: Beta/clip.mp4 frame 40, 0xff00ff (magenta); record 2 (open-ended)
- frames/Beta/walk_0012.jpg: Beta/walk.mp4 frame 12, 0x00ff00 (green); record 3, first of its list
- frames/Beta/walk_0050.jpg: Beta/walk.mp4 frame 50, 0xff8000 (orange); record 3, second of its list

Records in file order: 0 Beta/clip.mp4, 1 Alpha/clip.mp4, 2 Beta/clip.mp4, 3 Beta/walk.mp4.
MD
# Reproducible: fixed times, entries (folders included) in byte order, no extra fields.
find "$v2p" -exec touch -h -d '2025-01-01 00:00:00 UTC' {} +
find "$v2p" | LC_ALL=C sort | TZ=UTC zip -q -X "$v2p.zip" -@
