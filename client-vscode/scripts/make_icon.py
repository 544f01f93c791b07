"""Draws icon.png (128x128): a reviewer's check mark over three connected network nodes.

Stdlib only (zlib + struct), so the icon can be regenerated anywhere:
    python3 scripts/make_icon.py icon.png
"""

import math
import struct
import sys
import zlib

SIZE = 128
SAMPLES = 4  # supersampling per axis, for smooth edges

BACKGROUND_TOP = (24, 54, 92)
BACKGROUND_BOTTOM = (14, 120, 140)
EDGE = (180, 220, 235)
NODE = (255, 255, 255)
CHECK = (120, 230, 130)

NODES = [(34, 38), (34, 90), (66, 64)]
EDGES = [(0, 2), (1, 2), (0, 1)]


def segment_distance(px, py, ax, ay, bx, by):
    """Distance from a point to the segment AB."""
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def inside_rounded_square(x, y, radius=24):
    cx = min(max(x, radius), SIZE - radius)
    cy = min(max(y, radius), SIZE - radius)
    return math.hypot(x - cx, y - cy) <= radius


def color_at(x, y):
    """RGBA of one sample point; later layers paint over earlier ones."""
    if not inside_rounded_square(x, y):
        return (0, 0, 0, 0)
    mix = y / SIZE
    color = tuple(round(t + (b - t) * mix) for t, b in zip(BACKGROUND_TOP, BACKGROUND_BOTTOM))
    if any(segment_distance(x, y, *NODES[a], *NODES[b]) <= 3 for a, b in EDGES):
        color = EDGE
    if any(math.hypot(x - nx, y - ny) <= 10 for nx, ny in NODES):
        color = NODE
    check = [(70, 84), (84, 98), (110, 60)]
    if any(segment_distance(x, y, *check[i], *check[i + 1]) <= 8 for i in range(2)):
        color = CHECK
    return (*color, 255)


def pixel(x, y):
    samples = [
        color_at(x + (i + 0.5) / SAMPLES, y + (j + 0.5) / SAMPLES)
        for i in range(SAMPLES)
        for j in range(SAMPLES)
    ]
    alpha = sum(s[3] for s in samples)
    if alpha == 0:
        return (0, 0, 0, 0)
    rgb = [round(sum(s[c] * s[3] for s in samples) / alpha) for c in range(3)]
    return (*rgb, round(alpha / len(samples)))


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def encode_png(rows):
    raw = b"".join(b"\x00" + bytes(channel for px in row for channel in px) for row in rows)
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(raw, 9))
        + png_chunk(b"IEND", b"")
    )


def main():
    target = sys.argv[1] if len(sys.argv) > 1 else "icon.png"
    rows = [[pixel(x, y) for x in range(SIZE)] for y in range(SIZE)]
    with open(target, "wb") as out:
        out.write(encode_png(rows))


if __name__ == "__main__":
    main()
