"""Small server-side SVG charts (readable on a phone, no script): the numbers a template
needs to draw a histogram, component bars and a trend line."""

from __future__ import annotations

WIDTH, HEIGHT = 300, 120


def histogram(bins: list[int]) -> list[dict]:
    top = max(bins or [0]) or 1
    step = WIDTH / 10
    return [
        {
            "x": round(i * step + 2, 1),
            "width": round(step - 4, 1),
            "height": round(HEIGHT * n / top, 1),
            "y": round(HEIGHT - HEIGHT * n / top, 1),
            "n": n,
            "label": f"{i * 10}-{i * 10 + 9 if i < 9 else 100}",
            # below the pass mark, below the target, at or above the target
            "band": "low" if i < 5 else "mid" if i < 7 else "ok",
        }
        for i, n in enumerate(bins)
    ]


def scale_x(score) -> float:
    return round(WIDTH * float(score) / 100, 1)


def trend(points: list[tuple[str, float]], *, pass_mark=55, target=70) -> dict:
    """Mean per event as a polyline, with the event's target and pass-mark lines."""
    if not points:
        return {"points": "", "dots": [], "target_y": 0}
    n = len(points)

    def y(v):
        return round(HEIGHT - HEIGHT * float(v) / 100, 1)

    xs = [round(20 + (WIDTH - 40) * (i / (n - 1) if n > 1 else 0.5), 1) for i in range(n)]
    dots = [
        {"x": x, "y": y(v), "label": label, "value": v}
        for x, (label, v) in zip(xs, points, strict=True)
    ]
    return {
        "points": " ".join(f"{d['x']},{d['y']}" for d in dots),
        "dots": dots,
        "target_y": y(target),
        "pass_y": y(pass_mark),
    }
