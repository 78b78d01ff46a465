"""Photos and poor scans made tesseract-friendly: dark table margins cropped, uneven light flattened, skew undone.

Each fault is measured on a thumbnail (a few milliseconds), and the full page is only touched when
the fault is there, so that a clean scan costs next to nothing more than tesseract itself.
"""

from PIL import Image, ImageChops, ImageFilter

from extraction.images import LoadedImage

# Thumbnails are about this many pixels on their longest side: text lines stay apart, cost stays tiny.
THUMBNAIL_SIDE = 700
# An edge row or column darker than this share of the paper's brightness is the table, not the page.
BORDER_DARKNESS = 0.45
# A crop that would keep less than this share of a side is a misreading (a dark page), not a border.
MIN_KEPT_SHARE = 0.5
# Paper whose darkest area is under this share of its brightest is unevenly lit.
EVEN_LIGHT = 0.8
# Skews up to this many degrees are searched for; smaller ones than MIN_SKEW are left alone.
MAX_SKEW = 5.0
MIN_SKEW = 0.4
# A skew is only trusted when levelling it makes the rows' profile this much sharper.
SURE_SKEW = 1.3
# Text lines make a page's row profile sharp: a page whose column profile is this many times
# sharper lies on its side (measured: whole upright pages 0.05-0.5, sideways ones 11-20; the boxed
# header strip of a real bill 0.7 upright, 1.45 sideways). A wrong guess costs one orientation run.
SIDEWAYS = 1.2


def clean_page(page: LoadedImage) -> LoadedImage:
    """The page cropped to its paper, evenly lit and level; the same object when it was all three."""
    page = crop_dark_border(page)
    page = LoadedImage(flatten_lighting(page.image), page.dpi)
    angle = skew_angle(page.image)
    if abs(angle) < MIN_SKEW:
        return page
    # Bilinear: half the cost of bicubic on a full page, and tesseract reads both alike.
    level = page.image.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    return LoadedImage(level, page.dpi)


def crop_dark_border(page: LoadedImage) -> LoadedImage:
    """A photo's dark surroundings (table, scanner lid) cut off, from each edge inwards."""
    small, factor = _thumbnail(page.image)
    paper = _percentile(small, 0.9)
    rows = list(small.resize((1, small.height), Image.Resampling.BOX).tobytes())
    columns = list(small.resize((small.width, 1), Image.Resampling.BOX).tobytes())
    top, bottom = _bright_span(rows, paper)
    left, right = _bright_span(columns, paper)
    if (top, bottom, left, right) == (0, len(rows), 0, len(columns)):
        return page
    if bottom - top < MIN_KEPT_SHARE * len(rows) or right - left < MIN_KEPT_SHARE * len(columns):
        return page
    box = (left * factor, top * factor, min(right * factor, page.image.width), min(bottom * factor, page.image.height))
    return LoadedImage(page.image.crop(box), page.dpi)


def _bright_span(means: list[int], paper: int) -> tuple[int, int]:
    threshold = BORDER_DARKNESS * paper
    start, end = 0, len(means)
    while start < end and means[start] < threshold:
        start += 1
    while end > start and means[end - 1] < threshold:
        end -= 1
    return start, end


def flatten_lighting(image: Image.Image) -> Image.Image:
    """Paper made evenly white where a lamp or a shadow made it grey; the image itself when even."""
    # Blocks of about 1/60 of the page average ink and paper; the brightest block around each
    # (about 2 cm) is the paper's own brightness there.
    block = max(1, max(image.size) // 60)
    background = image.reduce(block).filter(ImageFilter.MaxFilter(5))
    darkest, brightest = _percentile(background, 0.02), _percentile(background, 0.98)
    if darkest >= EVEN_LIGHT * brightest:
        return image
    # Dark blocks (a black banner, a photo) are not paper: stretching them to white would erase them.
    floor = brightest // 3
    background = background.point(lambda value: max(value, floor)).filter(ImageFilter.GaussianBlur(1))
    background = background.resize(image.size, Image.Resampling.BILINEAR)
    return _divide(image, background)


def _divide(image: Image.Image, background: Image.Image) -> Image.Image:
    """Each pixel over its paper's brightness, as 0-255: the paper becomes white everywhere."""
    from PIL import ImageMath

    ratio = ImageMath.lambda_eval(lambda names: names["a"] * 255.0 / names["b"],
                                  a=image.convert("F"), b=background.convert("F"))
    # Converting to 8 bits clips the values above 255 (ink darker than its paper never goes below 0).
    return ratio.convert("L")


def skew_angle(image: Image.Image) -> float:
    """Degrees (counter-clockwise) that make the text lines level: their rows' ink then peaks sharpest."""
    ink = _ink(image)
    coarse = max(_frange(-MAX_SKEW, MAX_SKEW, 0.5), key=lambda angle: _sharpness(ink, angle))
    fine = max(_frange(coarse - 0.4, coarse + 0.4, 0.1), key=lambda angle: _sharpness(ink, angle))
    # A page on its side has no level lines at any small angle: its best one is barely better than
    # none, and turning it would only make the orientation harder to find.
    return fine if _sharpness(ink, fine) > SURE_SKEW * _sharpness(ink, 0) else 0.0


def looks_sideways(image: Image.Image) -> bool:
    """True when the page's text runs up or down: its columns, not its rows, have the sharp profile."""
    ink = _ink(image)
    columns = _sharpness(ink.transpose(Image.Transpose.ROTATE_90), 0)
    return columns > SIDEWAYS * _sharpness(ink, 0)


def _sharpness(ink: Image.Image, angle: float) -> int:
    turned = ink.rotate(angle, resample=Image.Resampling.NEAREST, fillcolor=0) if angle else ink
    rows = list(turned.resize((1, turned.height), Image.Resampling.BOX).tobytes())
    return sum((first - second) ** 2 for first, second in zip(rows, rows[1:]))


def _ink(image: Image.Image) -> Image.Image:
    """A thumbnail where ink is white on black, so that a row's mean is how much ink it holds."""
    small, _ = _thumbnail(image)
    threshold = int(0.7 * _percentile(small, 0.9))
    # The edges are left out: a scanner's dark rim or a table's last sliver would be one long
    # "line" that is level whatever the text does.
    width, height = small.size
    inner = small.crop((width // 30, height // 30, width - width // 30, height - height // 30))
    return inner.point(lambda value: 255 if value < threshold else 0)


def _frange(start: float, stop: float, step: float) -> list[float]:
    count = round((stop - start) / step)
    return [round(start + index * step, 2) for index in range(count + 1)]


def _thumbnail(image: Image.Image) -> tuple[Image.Image, int]:
    factor = max(1, max(image.size) // THUMBNAIL_SIDE)
    return (image.reduce(factor) if factor > 1 else image), factor


def _percentile(image: Image.Image, share: float) -> int:
    histogram = image.histogram()
    wanted, seen = share * sum(histogram), 0
    for value, count in enumerate(histogram):
        seen += count
        if seen >= wanted:
            return value
    return 255
