"""The campaign page's versions: eight choices a marketer can ask for, each read and checked in plain words.

    read_choices({"hero_format": "avif"})      today's page with one change, every value checked
    query(TODAY)                               "hero_format=jpeg&hero_width=1600&..." for the page's address

The same choices make the page's address (/campaign?hero_format=avif&...), so every file of that
version (its styles, its pictures) is served the way that version asks for.
"""

from __future__ import annotations

from urllib.parse import urlencode

from martech.problems import Problem, shown

# Each choice: its values (today's first) and what each means, for messages and the notebook.
CHOICES: dict[str, dict[object, str]] = {
    "hero_format": {"jpeg": "JPEG, as the agency exported it", "webp": "WebP", "avif": "AVIF"},
    "hero_width": {1600: "one 1600-pixel file for every screen", 800: "one 800-pixel file",
                   400: "one 400-pixel file", "srcset": "srcset and sizes: each screen picks its file"},
    "lazy_loading": {"hero": 'loading="lazy" on the hero picture', "gallery": 'loading="lazy" on the gallery below',
                     "both": "lazy on both", "none": "no lazy loading"},
    "dimensions": {False: "no width and height on the pictures", True: "width and height on every picture"},
    "tag": {"blocking": "the heatmap tag as a plain <script> in the head", "async": "the tag with async",
            "defer": "the tag with defer", "none": "no heatmap tag"},
    "banner": {"late": "the vendor's banner pushes the page down when it arrives",
               "reserved": "the banner fills a space kept for it", "none": "no banner"},
    "compression": {"none": "text sent as it is", "gzip": "gzip", "br": "Brotli"},
    "font_display": {"block": "font-display: block (text hidden until the font arrives)",
                     "swap": "font-display: swap (text shows at once in a fallback font)"},
}
TODAY = {key: next(iter(values)) for key, values in CHOICES.items()}   # the slow page the agency delivered
FAST = {"hero_format": "avif", "hero_width": "srcset", "lazy_loading": "gallery", "dimensions": True,
        "tag": "defer", "banner": "reserved", "compression": "br", "font_display": "swap"}


class BadChoice(Problem, ValueError):
    """A page version that does not exist; the message says which values there are."""


def _values(key: str) -> str:
    return ", ".join(repr(v) for v in CHOICES[key])


def _read_one(key: str, value):
    values = CHOICES[key]
    if isinstance(value, str):
        text = value.strip().lower()
        if key == "dimensions" and text in ("true", "yes", "false", "no"):
            return text in ("true", "yes")
        if key == "hero_width" and text.isdigit():
            value = int(text)
        else:
            value = text
    if isinstance(value, bool) != isinstance(next(iter(values)), bool) and key == "dimensions":
        raise BadChoice(f"{key} is True (width and height on every picture) or False; you gave {shown(value)}.")
    for allowed in values:
        if type(allowed) is type(value) and allowed == value:
            return allowed
    hint = ""
    if key == "hero_format" and value in ("jpg", "png", "gif"):
        hint = " (a photo's usual choices are JPEG, WebP and AVIF)"
    raise BadChoice(f"{key} must be one of {_values(key)}{hint}; you gave {shown(value)}.")


def read_choices(choices=None, start: dict | None = None, require_all: bool = False) -> dict:
    """``start`` (today's page) with ``choices`` applied, every key and value checked."""
    if choices is None:
        choices = {}
    if not isinstance(choices, dict):
        raise BadChoice("choices should be a dict such as {\"hero_format\": \"avif\", \"compression\": \"br\"}; "
                        f"you gave {shown(choices)}.")
    unknown = [k for k in choices if k not in CHOICES]
    if unknown:
        raise BadChoice(f"There is no choice called {shown(unknown[0])}; the choices are: {', '.join(CHOICES)}.")
    missing = [k for k in CHOICES if k not in choices]
    if require_all and missing:
        raise BadChoice(f"choices needs a value for each of the eight choices; it lacks {', '.join(missing)}. "
                        "Start again from the dict the task gives, and change only the values.")
    values = dict(start or TODAY)
    for key, value in choices.items():
        if value is Ellipsis:
            raise BadChoice(f"replace the ... after {key!r} with one of {_values(key)}.")
        values[key] = _read_one(key, value)
    return values


def from_query(query: dict[str, list[str]], extra=()) -> dict:
    """The choices in a page's address; unknown keys are refused, as in Python, apart from ``extra`` ones."""
    return read_choices({key: values[-1] for key, values in query.items() if key not in extra})


def query(choices: dict) -> str:
    """The part of the address after ? that asks for this version."""
    return urlencode({key: str(value).lower() for key, value in read_choices(choices).items()})

