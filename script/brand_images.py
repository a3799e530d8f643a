"""Draw the brand images HACS and Home Assistant show for the integration.

    scripts/brand-images   (python -m script.brand_images)

Writes custom_components/tracker_stats/brand/{icon,logo}{,@2x}.png: a ratio
gauge with an upload and a download arrow (icon, square) and the same mark
beside rising upload bars (logo, landscape). Transparent background, drawn
four times larger and scaled down for smooth edges. Pillow comes with Home
Assistant, so the test virtualenv has it.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

BRAND = Path(__file__).resolve().parents[1] / "custom_components/tracker_stats/brand"
UP = (46, 160, 90, 255)  # upload: green
DOWN = (45, 125, 210, 255)  # download: blue
TRACK = (150, 160, 170, 255)
SUPERSAMPLE = 4


def _arrow(
    draw: ImageDraw.ImageDraw,
    x: float,
    top: float,
    bottom: float,
    *,
    up: bool,
    unit: float,
) -> None:
    """Draw a thick vertical arrow between ``top`` and ``bottom``, centred on ``x``."""
    shaft, head = 0.08 * unit, 0.14 * unit
    tip, base = (top, top + head) if up else (bottom, bottom - head)
    colour = UP if up else DOWN
    draw.polygon(
        [(x, tip), (x - head, base), (x + head, base)],
        fill=colour,
    )
    y0, y1 = (base, bottom) if up else (top, base)
    draw.rectangle(
        [x - shaft / 2 - 0.02 * unit, y0, x + shaft / 2 + 0.02 * unit, y1], fill=colour
    )


def _mark(draw: ImageDraw.ImageDraw, left: float, top: float, size: float) -> None:
    """Draw the gauge ring (three quarters full) with the two arrows inside."""
    width = 0.09 * size
    # Pillow draws an arc's width inwards from its box: the ring fills the square.
    box = [left, top, left + size - 1, top + size - 1]
    draw.arc(box, 0, 360, fill=TRACK, width=int(width))
    draw.arc(box, 135, 45, fill=UP, width=int(width))
    middle_x, inner_top, inner_bottom = (
        left + size / 2,
        top + 0.27 * size,
        top + 0.73 * size,
    )
    _arrow(draw, middle_x - 0.15 * size, inner_top, inner_bottom, up=True, unit=size)
    _arrow(draw, middle_x + 0.15 * size, inner_top, inner_bottom, up=False, unit=size)


def icon(side: int) -> Image.Image:
    big = side * SUPERSAMPLE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    _mark(ImageDraw.Draw(image), 0, 0, big)
    return image.resize((side, side), Image.Resampling.LANCZOS)


def logo(height: int) -> Image.Image:
    big = height * SUPERSAMPLE
    image = Image.new("RGBA", (int(big * 2.2), big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    _mark(draw, 0, 0, big)
    bar_width, gap = 0.22 * big, 0.1 * big
    for number, fraction in enumerate((0.35, 0.55, 0.75, 1.0)):
        left = 1.08 * big + number * (bar_width + gap)
        draw.rounded_rectangle(
            [left, big * (1 - fraction), left + bar_width, big],
            radius=0.05 * big,
            fill=UP if number % 2 == 0 else DOWN,
        )
    trimmed = image.crop(image.getbbox())
    return trimmed.resize(
        (int(trimmed.width / SUPERSAMPLE), height), Image.Resampling.LANCZOS
    )


def main() -> None:
    BRAND.mkdir(exist_ok=True)
    for name, image in (
        ("icon.png", icon(256)),
        ("icon@2x.png", icon(512)),
        ("logo.png", logo(128)),
        ("logo@2x.png", logo(256)),
    ):
        image.save(BRAND / name, optimize=True)
        print(f"{name}: {image.width}×{image.height}")


if __name__ == "__main__":
    main()
