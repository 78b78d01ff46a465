"""Safe loading of scans and photos: size checked before decoding, upright, grayscale, readable size."""

import io
import warnings

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from extraction.model import ExtractionError

# The formats a scanner or a phone produces; anything else is refused before a decoder runs.
ACCEPTED_FORMATS = ("JPEG", "PNG", "TIFF", "BMP", "GIF", "WEBP")
# An A4 page at 600 dpi is 35 megapixels: more than that is no bill, but may be a bomb.
MAX_PIXELS = 40_000_000
# Resolutions outside this range are missing or made up (phones often write 72), so a default is used.
TRUSTED_DPI = (100, 1200)
DEFAULT_DPI = 200
# Below this width (pixels at the working resolution) text is usually too small for tesseract.
MIN_WORKING_WIDTH = 1600
MAX_UPSCALE = 3.0

# Pillow's own guard, set to our budget: a bomb then raises instead of only warning.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class LoadedImage:
    """One page of an image file, ready for OCR, with the resolution that maps its pixels to points."""

    def __init__(self, image: Image.Image, dpi: float):
        self.image = image
        self.dpi = dpi


def load_image_pages(data: bytes, max_pages: int = 20, max_pixels: int = MAX_PIXELS) -> list[LoadedImage]:
    """Every frame (a multi-page TIFF is a scanned bill of several pages) up to max_pages."""
    image = _open_checked(data, max_pixels)
    dpi = _dpi_of(image)
    pages = []
    try:
        for index, frame in enumerate(ImageSequence.Iterator(image)):
            if index >= max_pages:
                break
            _check_size(frame, max_pixels)
            pages.append(LoadedImage(_normalise(frame), dpi))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        if not pages:
            raise ExtractionError(f"unreadable image ({_short(error)})") from None
    return [_upscaled(page, max_pixels) for page in pages]


def _open_checked(data: bytes, max_pixels: int) -> Image.Image:
    if not data:
        raise ExtractionError("empty image file")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except UnidentifiedImageError:
        raise ExtractionError("not an image in a supported format (JPEG, PNG, TIFF)") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ExtractionError(f"image too large (more than {max_pixels // 1_000_000} megapixels)") from None
    except (OSError, ValueError, SyntaxError) as error:
        raise ExtractionError(f"unreadable image ({_short(error)})") from None
    # Only the header has been read so far: the budget is checked before any pixel is decoded.
    _check_size(image, max_pixels)
    return image


def _check_size(image: Image.Image, max_pixels: int) -> None:
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ExtractionError("image has no pixels")
    if width * height > max_pixels:
        raise ExtractionError(
            f"image too large: {width}×{height} px (limit {max_pixels // 1_000_000} megapixels)")


def _dpi_of(image: Image.Image) -> float:
    try:
        # PNG stores pixels per metre: 200 dpi comes back as 199.9994.
        dpi = float(round(float(image.info.get("dpi", (0, 0))[0])))
    except (TypeError, ValueError, IndexError):
        return DEFAULT_DPI
    return dpi if TRUSTED_DPI[0] <= dpi <= TRUSTED_DPI[1] else DEFAULT_DPI


def _normalise(frame: Image.Image) -> Image.Image:
    """Upright (a phone's EXIF orientation applied) and 8-bit grayscale on a white background."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        frame.load()
        upright = ImageOps.exif_transpose(frame)
    if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
        rgba = upright.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        upright = Image.alpha_composite(white, rgba)
    return upright.convert("L")


def _upscaled(page: LoadedImage, max_pixels: int) -> LoadedImage:
    """Small images are enlarged so that a body text line is tall enough for tesseract."""
    width, height = page.image.size
    factor = min(MAX_UPSCALE, MIN_WORKING_WIDTH / width, (max_pixels / (width * height)) ** 0.5)
    if factor <= 1.2:
        return page
    return upscale(page, factor)


def upscale(page: LoadedImage, factor: float) -> LoadedImage:
    width, height = page.image.size
    size = (round(width * factor), round(height * factor))
    return LoadedImage(page.image.resize(size, Image.Resampling.LANCZOS), page.dpi * factor)


def to_pgm(image: Image.Image) -> bytes:
    """Uncompressed bytes tesseract reads from stdin: encoding them costs nearly nothing."""
    buffer = io.BytesIO()
    image.save(buffer, format="PPM")
    return buffer.getvalue()


def _short(error: Exception) -> str:
    return str(error)[:200] or type(error).__name__
