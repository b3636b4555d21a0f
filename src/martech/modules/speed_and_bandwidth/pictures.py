"""The campaign's photos, drawn by Pillow on request: no photo from the internet, nothing large in git.

    photo("hero")                       the 1600 x 900 original, as a Pillow image
    encoded("hero", 800, "avif")        the bytes a server sends for that file (kept in memory)
    side_by_side([...])                 one picture of several versions, each labelled with its bytes
    picture_sizes()                     a table of the photo's bytes in each format and width

A real photo has texture everywhere (grass, rock, sensor grain), and that is what makes it expensive
to send. The drawing below has the same: gradients, ridges with detail at several scales, and grain.
"""

from __future__ import annotations

import functools
import io
import os
import tempfile
import threading
from pathlib import Path

from martech.problems import Problem

FORMATS = {"jpeg": ("JPEG", "image/jpeg", "jpg"), "webp": ("WEBP", "image/webp", "webp"),
           "avif": ("AVIF", "image/avif", "avif")}
EXTENSIONS = {ext: name for name, (_, _, ext) in FORMATS.items()}
WIDTHS = (400, 800, 1600)
# What an agency's export and a careful developer would pick: JPEG at 85 is a common "high" export.
QUALITY = {"jpeg": 85, "webp": 75, "avif": 50}
ASPECT = 9 / 16
# Each photo: a random seed, and the colours of its three ridges (far to near).
PHOTOS = {"hero": (7, [(90, 80, 120), (60, 70, 90), (40, 70, 45)]),
          "lake": (11, [(110, 100, 140), (70, 90, 110), (50, 85, 80)]),
          "camp": (23, [(120, 90, 110), (80, 70, 95), (55, 60, 40)])}

# AVIF's encoder trades time for bytes: at its default speed a 1600-pixel photo takes seconds, at 8 a
# tenth of that for a file a few percent larger. Sites encode each picture once, so either is fine there.
AVIF_SPEED = 8
# Encoded files are kept between runs (and between the notebook's kernel and the tests), as a CDN keeps
# them: the drawing and AVIF's encoder take a second or two the first time.
CACHE_VERSION = "1"

_lock = threading.Lock()


def _cache_file(name: str, width: int, kind: str, quality: int) -> Path | None:
    try:
        from PIL import __version__ as pillow
    except ImportError:
        return None
    folder = Path(tempfile.gettempdir()) / "martech-pictures" / f"v{CACHE_VERSION}-pillow{pillow}"
    return folder / f"{name}-{width}-q{quality}.{FORMATS[kind][2]}"


def _check(name: str, width: int, kind: str, quality: int | None) -> None:
    if name not in PHOTOS:
        raise Problem(f"There is no photo called {name!r}; the photos are: {', '.join(PHOTOS)}.")
    if isinstance(width, bool) or width not in WIDTHS:
        raise Problem(f"width must be one of {', '.join(map(str, WIDTHS))} (pixels); you gave {width!r}.")
    if kind not in FORMATS:
        raise Problem(f"format must be one of {', '.join(FORMATS)}; you gave {kind!r}.")
    if quality is not None and (isinstance(quality, bool) or not isinstance(quality, int) or not 10 <= quality <= 95):
        raise Problem(f"quality must be a whole number from 10 to 95; you gave {quality!r}.")


@functools.lru_cache(maxsize=4)
def photo(name: str = "hero"):
    """The original photo, 1600 x 900 pixels, the same every time (its randomness has a fixed seed)."""
    import numpy as np
    from PIL import Image, ImageDraw

    seed, ridges = PHOTOS[name]
    w, h = 1600, 900
    rng = np.random.default_rng(seed)
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None]
    x = np.linspace(0, 1, w, dtype=np.float32)[None, :]
    sky = np.stack(np.broadcast_arrays(255 * (0.98 - 0.35 * y) + 0 * x, 255 * (0.62 - 0.25 * y) + 20 * x,
                                       255 * (0.45 + 0.35 * y) + 0 * x), -1)
    sun_x = 0.3 + (seed % 5) / 10
    glow = np.clip(1 - np.sqrt((x - sun_x) ** 2 * 3 + (y - 0.45) ** 2 * 5) * 2.2, 0, 1)[..., None]
    img = sky * (1 - glow * 0.6) + np.array([255, 230, 170], np.float32) * glow * 0.6
    for i, (base, amp) in enumerate([(0.55, 0.12), (0.68, 0.10), (0.8, 0.08)]):
        ridge = base + amp * np.sin(x * 7 + i * 2 + seed) * 0.5 + amp * np.sin(x * 19 + i) * 0.25
        for k in range(1, 7):
            ridge = ridge + amp / (k * 3) * np.sin(x * (23 * k) + rng.random() * 6)
        shade = np.clip((y - ridge) * 3, 0, 1)[..., None]
        grain = rng.normal(0, 1, (h, w)).astype(np.float32)
        coarse = Image.fromarray(((grain + 4) * 32).clip(0, 255).astype("uint8"))
        coarse = np.asarray(coarse.resize((w // 4, h // 4)).resize((w, h), Image.BILINEAR), np.float32) / 32 - 4
        layer = np.array(ridges[i], np.float32) * (1 - 0.4 * shade) + (grain * 0.5 + coarse * 1.2)[..., None] * (10 + 8 * i)
        img = np.where((y > ridge)[..., None], layer, img)
    img = img + rng.normal(0, 3, img.shape).astype(np.float32)
    picture = Image.fromarray(np.clip(img, 0, 255).astype("uint8"))
    draw = ImageDraw.Draw(picture)
    cx, cy = int(w * (0.3 if name == "hero" else 0.65)), int(h * 0.86)
    draw.polygon([(cx - 120, cy + 40), (cx, cy - 90), (cx + 120, cy + 40)], fill=(230, 120, 40))
    draw.polygon([(cx - 20, cy + 40), (cx, cy - 20), (cx + 20, cy + 40)], fill=(60, 30, 20))
    return picture


@functools.lru_cache(maxsize=64)
def _encode(name: str, width: int, kind: str, quality: int) -> bytes:
    from PIL import Image

    cached = _cache_file(name, width, kind, quality)
    try:
        return cached.read_bytes()
    except (OSError, AttributeError):
        pass
    original = photo(name)
    resized = original if width == original.width else original.resize((width, round(width * ASPECT)), Image.LANCZOS)
    out = io.BytesIO()
    resized.save(out, FORMATS[kind][0], quality=quality, **({"speed": AVIF_SPEED} if kind == "avif" else {}))
    data = out.getvalue()
    if cached is not None:
        keep(cached, data)
    return data


def keep(cached: Path, data: bytes) -> None:
    """Store ``data`` as ``cached`` for the next run (pictures, the cut font)."""
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f"{cached.name}.{os.getpid()}.part")
        partial.write_bytes(data)
        partial.replace(cached)   # whole or not at all, even with two processes at once
    except OSError:
        pass   # a read-only temporary folder: it is made again next time


def encoded(name: str = "hero", width: int = 1600, kind: str = "jpeg", quality: int | None = None) -> bytes:
    """The file a server sends for this photo, width and format (the same bytes every time)."""
    _check(name, width, kind, quality)
    with _lock:  # two requests for the same new file encode it once
        return _encode(name, width, kind, QUALITY[kind] if quality is None else quality)


def content_type(kind: str) -> str:
    return FORMATS[kind][1]


def file_name(name: str, width: int, kind: str) -> str:
    return f"{name}-{width}.{FORMATS[kind][2]}"


def read_file_name(file: str) -> tuple[str, int, str] | None:
    """("hero", 800, "avif") for "hero-800.avif"; None for anything else."""
    stem, _, ext = file.rpartition(".")
    name, _, width = stem.rpartition("-")
    if name in PHOTOS and width.isdigit() and int(width) in WIDTHS and ext in EXTENSIONS:
        return name, int(width), EXTENSIONS[ext]
    return None


class Picture:
    """A PNG that Jupyter shows as a picture (and a one-line description otherwise)."""

    def __init__(self, png: bytes, description: str):
        self.png, self.description = png, description

    def _repr_png_(self) -> bytes:
        return self.png

    def __repr__(self) -> str:
        return f"<picture: {self.description}>"


def side_by_side(versions, crop=(1030, 480, 1230, 630), scale: int = 2) -> Picture:
    """The same detail of the photo in each version, enlarged, with its format, width and bytes above it.

    versions: a list of (format, width) or (format, width, quality), e.g. [("jpeg", 1600), ("avif", 1600, 30)].
    Each version is decoded as a browser would and scaled back to 1600 pixels, so that a small file's
    lost detail shows. crop: the part of the 1600 x 900 photo to show (left, top, right, bottom).
    """
    from PIL import Image, ImageDraw, ImageFont

    tiles = []
    for version in versions:
        if not isinstance(version, (tuple, list)) or len(version) not in (2, 3):
            raise Problem(f"Each version is a pair such as (\"avif\", 800) or a triple such as (\"avif\", 800, 30); "
                          f"you gave {version!r}.")
        kind, width, *quality = version
        data = encoded("hero", width, kind, quality[0] if quality else None)
        shown = Image.open(io.BytesIO(data)).convert("RGB").resize((1600, 900), Image.BILINEAR).crop(crop)
        tiles.append((shown.resize((shown.width * scale, shown.height * scale), Image.NEAREST),
                      f"{kind.upper()} {width} px, q{quality[0] if quality else QUALITY[kind]}: {len(data) / 1000:,.1f} kB"))
    if not tiles:
        raise Problem("Give at least one version, such as [(\"jpeg\", 1600), (\"avif\", 1600)].")
    try:
        font = ImageFont.load_default(size=18)
    except TypeError:  # Pillow before 10.1
        font = ImageFont.load_default()
    gap, top = 16, 30
    sheet = Image.new("RGB", (sum(t.width for t, _ in tiles) + gap * (len(tiles) + 1),
                              max(t.height for t, _ in tiles) + top + gap), "#ffffff")
    draw, x = ImageDraw.Draw(sheet), gap
    for tile, label in tiles:
        draw.text((x, 6), label, fill="#1a1a1a", font=font)
        sheet.paste(tile, (x, top))
        x += tile.width + gap
    out = io.BytesIO()
    # 128 colours, not dithered: the notebook stays small, and the detail and blotches still show.
    sheet.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(out, "PNG", optimize=True)
    return Picture(out.getvalue(), " | ".join(label for _, label in tiles))


def picture_sizes(name: str = "hero"):
    """Bytes of the photo in each format at each width, at the qualities the page uses."""
    from martech.modules.speed_and_bandwidth.lab import Table, kb

    head = f"{'':<6}" + "".join(f"{f'{w} px':>11}" for w in WIDTHS)
    rows = [f"{kind.upper():<6}" + "".join(f"{kb(len(encoded(name, w, kind))):>11}" for w in WIDTHS)
            + f"   quality {QUALITY[kind]}" for kind in FORMATS]
    return Table("\n".join([head, *rows]))
