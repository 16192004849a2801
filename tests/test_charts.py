"""Tests for the chart modules (the radar, kind_charts, chart_base, chart_render): assertions on the
Vega-Lite spec and the SVG."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd
import pytest

from vertaiset_widgets import chart_base, chart_render, kind_charts
from vertaiset_widgets.kinds.rating_matrix import radar, radar_grid

ITEMS = [
    "Pysyvät kumppanit (kuten muut palvelut)",
    "Tilapäiset kumppanit (kuten muut projektit), tai esim. kilpailu",
    "Asiakas- ja/tai kansalaiskontakti ja osallistuminen",
    "Hankkeen johtaminen ja johdon tuki",
    "Yhteydet poliittiseen päätöksentekoon",
    "Hankkeen tuloksellisuus, kestävyys ja vaikuttavuus",
    "Aikaisempien/muiden (hyvien) käytäntöjen hyödyntäminen",
    "Hankkeen sisäinen yhteistyö",
]
SERIES = ["Ennen", "Nyt", "Tulevaisuudessa"]


def tidy(items=ITEMS, series=SERIES, base=2.0):
    """Tidy radar frame: one row per (series, item)."""
    rows = []
    for s_i, s in enumerate(series):
        for i, item in enumerate(items):
            rows.append(
                {"item": item, "series": s, "value": base + s_i + (i % 3) * 0.25}
            )
    return pd.DataFrame(rows)


def spread_frame(series=("Nyt",)):
    """Frame with the columns spread_chart expects."""
    rows = []
    for s in series:
        for item in ITEMS:
            rows.append(
                dict(item=item, series=s, mean=2.8, min=1, max=4.5, q1=2.2, q3=3.4,
                     n=12)
            )
    return pd.DataFrame(rows)


def layers(spec):
    """Unit specs of a layered spec, each with its resolved data rows."""
    out = []
    for layer in spec["layer"]:
        data = layer.get("data", spec.get("data"))
        if "values" in data:
            rows = data["values"]
        else:
            rows = spec["datasets"][data["name"]]
        out.append((layer, rows))
    return out


def mark_type(layer):
    """The mark type of a unit spec."""
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def field(layer, channel):
    """The field encoded on a channel, or None."""
    enc = layer.get("encoding", {}).get(channel)
    return enc.get("field") if isinstance(enc, dict) else None


def find(spec, mark, channel, name):
    """Layers with the given mark type whose channel encodes field `name`."""
    return [
        (layer, rows)
        for layer, rows in layers(spec)
        if mark_type(layer) == mark and field(layer, channel) == name
    ]


def series_layer(spec):
    """The polygon line layer (line mark coloured by series)."""
    (found,) = find(spec, "line", "color", "series")
    return found


def by_series(rows):
    """Polygon rows grouped per series, sorted by the path order."""
    out = {}
    for row in rows:
        out.setdefault(row["series"], []).append(row)
    return {k: sorted(v, key=lambda r: r["order"]) for k, v in out.items()}


@pytest.fixture
def radar_spec():
    """The radar spec for the eight real items and three time layers."""
    return radar.radar_chart(tidy(), items=ITEMS, title="Otsikko").to_dict()


# ---------------------------------------------------------------- radar


def test_radar_is_a_valid_layered_vega_lite_spec():
    """radar_chart, written as Vega-Lite data, gives a spec Altair's schema accepts as a layered
    chart, with the theme's config under it as Altair's own to_dict gives it."""
    from vertaiset_widgets import chart_render

    chart_render.register_theme()
    spec = radar.radar_chart(tidy(), items=ITEMS).to_dict()
    assert isinstance(alt.LayerChart.from_dict(spec, validate=True), alt.LayerChart)
    assert spec["config"]["view"]["stroke"] is None  # the radar's own config over the theme's
    assert spec["config"]["font"] == alt.theme.get()()["config"]["font"]


def test_ring_polygons_exist_and_are_closed(radar_spec):
    """One closed grid polygon per integer ring 1..scale_max."""
    ((_, rows),) = find(radar_spec, "line", "detail", "ring")
    rings = {}
    for row in rows:
        rings.setdefault(row["ring"], []).append(row)
    assert sorted(rings) == [1, 2, 3, 4, 5]
    for ring, pts in rings.items():
        pts.sort(key=lambda r: r["order"])
        assert len(pts) == len(ITEMS) + 1
        assert (pts[0]["x"], pts[0]["y"]) == (pts[-1]["x"], pts[-1]["y"])
        assert all(math.isclose(math.hypot(p["x"], p["y"]), ring) for p in pts)


def test_spokes_exist_from_centre_to_outer_ring(radar_spec):
    """One spoke per item from the centre to the outer ring."""
    rules = [(lay, r) for lay, r in layers(radar_spec) if mark_type(lay) == "rule"]
    ((_, rows),) = rules
    assert len(rows) == len(ITEMS)
    for row in rows:
        assert (row["x"], row["y"]) == (0, 0)
        assert math.isclose(math.hypot(row["x2"], row["y2"]), 5)


def test_ring_value_labels_along_first_spoke(radar_spec):
    """Ring values 0..5 are written on the first (vertical) spoke."""
    texts = [
        rows
        for layer, rows in find(radar_spec, "text", "text", "text")
        if layer["mark"].get("color") != "white"
    ]
    ((rows),) = texts
    assert [r["text"] for r in rows] == ["0", "1", "2", "3", "4", "5"]
    assert all(r["x"] == 0 for r in rows)


def test_one_closed_polygon_per_series(radar_spec):
    """Each series is one path that ends where it starts."""
    layer, rows = series_layer(radar_spec)
    assert layer["encoding"]["order"]["field"] == "order"
    assert layer["encoding"]["detail"]["field"] == "series"
    paths = by_series(rows)
    assert sorted(paths) == sorted(SERIES)
    for pts in paths.values():
        assert len(pts) == len(ITEMS) + 1
        assert (pts[0]["x"], pts[0]["y"]) == (pts[-1]["x"], pts[-1]["y"])
        assert [p["axis"] for p in pts[:-1]] == list(range(len(ITEMS)))


def test_series_order_sets_colour_domain():
    """series_order fixes the colour scale domain order."""
    order = ["Tulevaisuudessa", "Ennen", "Nyt"]
    spec = radar.radar_chart(tidy(), items=ITEMS, series_order=order).to_dict()
    layer, _ = series_layer(spec)
    assert layer["encoding"]["color"]["scale"]["domain"] == order


def test_series_default_order_is_first_appearance(radar_spec):
    """Without series_order the colour domain follows the frame's order."""
    layer, _ = series_layer(radar_spec)
    assert layer["encoding"]["color"]["scale"]["domain"] == SERIES


def test_default_palette_used_in_series_order(radar_spec):
    """Series get the default palette's colours in order."""
    layer, _ = series_layer(radar_spec)
    rng = layer["encoding"]["color"]["scale"]["range"]
    assert rng == list(chart_base.DEFAULT_PALETTE[:3])


def test_palette_overrides_default():
    """A palette argument replaces the default colours."""
    palette = ["#000000", "#111111", "#222222"]
    spec = radar.radar_chart(tidy(), items=ITEMS, palette=palette).to_dict()
    layer, _ = series_layer(spec)
    assert layer["encoding"]["color"]["scale"]["range"] == palette


def test_default_palette_contrast_at_least_3_to_1():
    """Every default line colour has at least 3:1 contrast against white."""

    def luminance(hex_colour):
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in channels
        ]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    for colour in chart_base.DEFAULT_PALETTE:
        assert 1.05 / (luminance(colour) + 0.05) >= 3, colour


def test_missing_value_is_skipped_not_zero():
    """A NaN value leaves the point out instead of drawing it at the centre."""
    frame = tidy()
    frame.loc[(frame["series"] == "Nyt") & (frame["item"] == ITEMS[4]), "value"] = None
    spec = radar.radar_chart(frame, items=ITEMS).to_dict()
    _, rows = series_layer(spec)
    nyt = by_series(rows)["Nyt"]
    assert ITEMS[4] not in {p["item"] for p in nyt}
    assert all(math.hypot(p["x"], p["y"]) > 0.5 for p in nyt)
    assert len(nyt) == len(ITEMS)  # 7 points + the closing repeat
    assert (nyt[0]["x"], nyt[0]["y"]) == (nyt[-1]["x"], nyt[-1]["y"])


def test_missing_row_is_skipped_not_zero():
    """An absent (series, item) row is not drawn either."""
    frame = tidy()
    frame = frame[~((frame["series"] == "Ennen") & (frame["item"] == ITEMS[0]))]
    spec = radar.radar_chart(frame, items=ITEMS).to_dict()
    _, rows = series_layer(spec)
    ennen = by_series(rows)["Ennen"]
    assert ITEMS[0] not in {p["item"] for p in ennen}
    assert all(math.hypot(p["x"], p["y"]) > 0.5 for p in ennen)


def test_first_axis_at_top_then_clockwise(radar_spec):
    """Item 0 is at 12 o'clock (x=0, y>0) and item 1 is to its right."""
    _, rows = series_layer(radar_spec)
    pts = by_series(rows)["Nyt"]
    first, second = pts[0], pts[1]
    assert first["item"] == ITEMS[0]
    assert math.isclose(first["x"], 0, abs_tol=1e-9) and first["y"] > 0
    assert second["x"] > 0 and second["y"] > 0


def test_point_radius_is_value_minus_scale_min():
    """A point's distance from the centre equals value - scale_min."""
    frame = pd.DataFrame(
        {"item": ["a", "b", "c"], "series": "s", "value": [3.0, 4.0, 5.0]}
    )
    spec = radar.radar_chart(frame, items=["a", "b", "c"], scale_min=1).to_dict()
    _, rows = series_layer(spec)
    radii = [math.hypot(p["x"], p["y"]) for p in by_series(rows)["s"][:-1]]
    assert radii == pytest.approx([2.0, 3.0, 4.0])


def test_points_carry_tooltip_with_one_decimal_value(radar_spec):
    """Points have tooltips for series, item and value formatted to 1 decimal."""
    ((layer, _),) = [
        (lay, rows) for lay, rows in layers(radar_spec) if mark_type(lay) == "point"
    ]
    tooltip = {t["field"]: t for t in layer["encoding"]["tooltip"]}
    assert set(tooltip) == {"series", "item", "value"}
    assert tooltip["value"]["format"] == ".1f"
    assert layer["transform"][0] == {"filter": "!datum.closing"}
    assert layer["encoding"]["description"]["field"] == "description"


def test_decorative_layers_are_hidden_from_screen_readers(radar_spec):
    """Rings, spokes and the series line carry aria=false; points do not."""
    for layer, _ in layers(radar_spec):
        kind = mark_type(layer)
        if kind in ("rule", "line"):
            assert layer["mark"]["aria"] is False
        if kind == "point":
            assert layer["mark"].get("aria") is not False


def test_label_lines_wrapped_to_at_most_24_chars(radar_spec):
    """Every axis label line is at most 24 characters and no word is lost."""
    labels = [r for _, rows in find(radar_spec, "text", "text", "label") for r in rows]
    assert sorted(r["item"] for r in labels) == sorted(ITEMS)
    for row in labels:
        lines = row["label"].split("\n")
        assert all(len(line) <= 24 for line in lines)
        assert " ".join(lines).split() == row["item"].split()
    assert any(len(r["label"].split("\n")) > 1 for r in labels)


def test_label_text_marks_use_newline_line_break(radar_spec):
    """Label text marks break lines at newline characters."""
    for layer, _ in find(radar_spec, "text", "text", "label"):
        assert layer["mark"]["lineBreak"] == "\n"


def test_label_alignment_depends_on_side(radar_spec):
    """Labels are centred at top/bottom and aligned away from the circle at the sides."""
    align = {}
    for layer, rows in find(radar_spec, "text", "text", "label"):
        for row in rows:
            align[row["axis"]] = (layer["mark"]["align"], layer["mark"]["baseline"])
    assert align[0] == ("center", "bottom")
    assert align[2] == ("left", "middle")
    assert align[4] == ("center", "top")
    assert align[6] == ("right", "middle")


def test_labels_lie_outside_outer_ring(radar_spec):
    """Every label anchor is beyond the outer ring."""
    for _, rows in find(radar_spec, "text", "text", "label"):
        for row in rows:
            assert math.hypot(row["x"], row["y"]) > 5


def test_scales_fixed_independent_of_data():
    """Different data give identical scale domains and plot size."""

    def geometry(spec):
        layer, _ = series_layer(spec)
        enc = layer["encoding"]
        return (
            enc["x"]["scale"]["domain"],
            enc["y"]["scale"]["domain"],
            spec["width"],
            spec["height"],
        )

    low = radar.radar_chart(tidy(base=0.5), items=ITEMS).to_dict()
    high = radar.radar_chart(tidy(base=3.0, series=["A"]), items=ITEMS).to_dict()
    assert geometry(low) == geometry(high)
    x_domain, y_domain, *_ = geometry(low)
    assert x_domain[0] == -x_domain[1] and x_domain[1] >= 5
    assert y_domain[0] == -y_domain[1] and y_domain[1] >= 5


def test_same_pixels_per_unit_on_both_axes(radar_spec):
    """x and y have the same scale so the rings are round."""
    layer, _ = series_layer(radar_spec)
    enc = layer["encoding"]
    x_ppu = radar_spec["width"] / (enc["x"]["scale"]["domain"][1] * 2)
    y_ppu = radar_spec["height"] / (enc["y"]["scale"]["domain"][1] * 2)
    assert x_ppu == pytest.approx(y_ppu)
    assert x_ppu * 10 == pytest.approx(420)  # circle diameter == size


def test_no_vega_axes_and_no_view_stroke(radar_spec):
    """No Vega axes or gridlines are drawn and the view has no border."""
    for layer, _ in layers(radar_spec):
        assert layer["encoding"]["x"]["axis"] is None
        assert layer["encoding"]["y"]["axis"] is None
    assert radar_spec["config"]["view"]["stroke"] is None


def test_radar_spec_needs_no_network(radar_spec):
    """The spec inlines all its data: there is no url anywhere."""

    def urls(obj):
        if isinstance(obj, dict):
            return [v for k, v in obj.items() if k == "url"] + [
                u for v in obj.values() for u in urls(v)
            ]
        if isinstance(obj, list):
            return [u for v in obj for u in urls(v)]
        return []

    assert urls(radar_spec) == []


@pytest.mark.parametrize("n", [3, 5, 12])
def test_radar_works_for_3_to_12_items(n):
    """Radars with 3..12 items have n spokes and closed n-gon series."""
    items = [f"Kohta {i}" for i in range(n)]
    spec = radar.radar_chart(tidy(items=items), items=items).to_dict()
    rules = [rows for lay, rows in layers(spec) if mark_type(lay) == "rule"]
    assert len(rules[0]) == n
    _, rows = series_layer(spec)
    for pts in by_series(rows).values():
        assert len(pts) == n + 1


def test_radar_rejects_fewer_than_three_items():
    """Two items cannot make a radar."""
    with pytest.raises(ValueError):
        radar.radar_chart(tidy(items=["a", "b"]), items=["a", "b"])


def test_radar_rejects_missing_columns():
    """A frame without the value column is refused."""
    with pytest.raises(ValueError, match="value"):
        radar.radar_chart(tidy().drop(columns="value"), items=ITEMS)


def test_values_outside_scale_are_clamped_to_edge():
    """A value above scale_max is drawn on the outer ring, tooltip keeps it."""
    frame = pd.DataFrame(
        {"item": ["a", "b", "c"], "series": "s", "value": [7.0, 1.0, 1.0]}
    )
    spec = radar.radar_chart(frame, items=["a", "b", "c"]).to_dict()
    _, rows = series_layer(spec)
    first = by_series(rows)["s"][0]
    assert math.hypot(first["x"], first["y"]) == pytest.approx(5)
    assert first["value"] == 7.0


# ---------------------------------------------------------------- wrap_label


def test_wrap_label_balances_lines():
    """A two-line label is split evenly rather than greedily."""
    assert chart_base.wrap_label("Pysyvät kumppanit (kuten muut palvelut)") == [
        "Pysyvät kumppanit",
        "(kuten muut palvelut)",
    ]


def test_wrap_label_splits_overlong_words():
    """A word longer than the width is split so no line exceeds it."""
    lines = chart_base.wrap_label("x" * 60, 22)
    assert all(len(line) <= 22 for line in lines) and "".join(lines) == "x" * 60


# ---------------------------------------------------------------- svg


def test_to_svg_returns_svg_with_label_text():
    """to_svg gives an SVG document that contains the axis labels."""
    svg = chart_render.to_svg(radar.radar_chart(tidy(), items=ITEMS))
    assert svg.lstrip().startswith("<svg")
    assert "Hankkeen sisäinen" in svg
    assert "päätöksentekoon" in svg


def test_to_svg_escapes_markup_in_labels():
    """Labels with <script> and & appear escaped, never as raw markup."""
    items = ["<script>alert(1)</script>", "Tom & Jerry", "Kolmas"]
    frame = tidy(items=items, series=["Nyt"])
    svg = chart_render.to_svg(radar.radar_chart(frame, items=items))
    assert "<script" not in svg.lower()
    assert "&lt;script&gt;" in svg
    assert "Tom &amp; Jerry" in svg


# ---------------------------------------------------------------- spread


def test_spread_x_domain_fixed_0_to_5():
    """The spread chart's x scale is fixed to 0..5 on every layer."""
    spec = kind_charts.spread_chart(spread_frame(), items=ITEMS).to_dict()
    for layer, _ in layers(spec):
        assert layer["encoding"]["x"]["scale"]["domain"] == [0, 5]


def test_spread_has_range_iqr_and_mean_layers():
    """Rule min..max, bar q1..q3 and tick at mean are all present."""
    spec = kind_charts.spread_chart(spread_frame(), items=ITEMS).to_dict()
    kinds = {mark_type(lay): lay["encoding"] for lay, _ in layers(spec)}
    assert (kinds["rule"]["x"]["field"], kinds["rule"]["x2"]["field"]) == ("min", "max")
    assert (kinds["bar"]["x"]["field"], kinds["bar"]["x2"]["field"]) == ("q1", "q3")
    assert kinds["tick"]["x"]["field"] == "mean"


def test_spread_items_in_given_order_and_wrapped():
    """Rows follow `items` order and row labels are wrapped."""
    spec = kind_charts.spread_chart(spread_frame(), items=list(reversed(ITEMS))).to_dict()
    y = spec["layer"][0]["encoding"]["y"]
    labels = y["scale"]["domain"]
    assert [label.replace("\n", " ") for label in labels] == list(reversed(ITEMS))
    assert all(len(line) <= 30 for label in labels for line in label.split("\n"))


def test_spread_several_series_use_y_offset_and_legend():
    """Several series are split into lanes with yOffset and a colour legend."""
    spec = kind_charts.spread_chart(spread_frame(("Ennen", "Nyt")), items=ITEMS).to_dict()
    enc = spec["layer"][0]["encoding"]
    assert enc["yOffset"]["field"] == "series"
    assert enc["color"]["scale"]["domain"] == ["Ennen", "Nyt"]
    assert enc["color"].get("legend") is not None


def test_spread_single_series_has_no_legend():
    """One series needs neither lanes nor a legend."""
    spec = kind_charts.spread_chart(spread_frame(), items=ITEMS).to_dict()
    enc = spec["layer"][0]["encoding"]
    assert "yOffset" not in enc
    assert enc["color"]["legend"] is None


def test_spread_renders_to_svg():
    """The spread chart converts to SVG offline."""
    chart = kind_charts.spread_chart(spread_frame(("Ennen", "Nyt")), items=ITEMS)
    svg = chart_render.to_svg(chart)
    assert svg.lstrip().startswith("<svg")


# ---------------------------------------------------------------- groups


def group_frame(groups=("Sote", "Kaupunki", "Järjestöt", "Koulu")):
    """A tidy frame with a group column."""
    parts = [tidy().assign(group=g) for g in groups]
    return pd.concat(parts, ignore_index=True)


def test_group_radars_one_subchart_per_group():
    """group_radars makes one radar per group, titled with the group name."""
    groups = ("Sote", "Kaupunki", "Järjestöt", "Koulu")
    chart = radar_grid.group_radars(group_frame(groups), items=ITEMS, columns=3)
    spec = chart.to_dict()
    assert isinstance(alt.ConcatChart.from_dict(spec, validate=True), alt.ConcatChart)
    assert spec["columns"] == 3
    assert [sub["title"]["text"] for sub in spec["concat"]] == list(groups)
    assert all("layer" in sub for sub in spec["concat"])


def test_group_radars_share_series_colours():
    """Every small radar uses the same series colour domain."""
    spec = radar_grid.group_radars(group_frame(), items=ITEMS).to_dict()
    domains = set()
    for sub in spec["concat"]:
        layer, _ = series_layer({**sub, "datasets": spec["datasets"]})
        domains.add(tuple(layer["encoding"]["color"]["scale"]["domain"]))
    assert domains == {tuple(SERIES)}


def test_group_radars_group_order():
    """group_order puts the radars in the requested order."""
    spec = radar_grid.group_radars(
        group_frame(("A", "B", "C")), items=ITEMS, group_order=["C", "A"]
    ).to_dict()
    assert [sub["title"]["text"] for sub in spec["concat"]] == ["C", "A", "B"]


# ---------------------------------------------------------------- theme


@pytest.fixture
def restore_theme():
    """Put the previously active Altair theme back after the test."""
    before = alt.theme.active
    yield
    alt.theme.enable(before)


def test_register_theme_enables_vertaiset(restore_theme):
    """register_theme registers and enables the 'vertaiset' theme."""
    assert chart_render.register_theme() == "vertaiset"
    assert alt.theme.active == "vertaiset"
    assert "vertaiset" in alt.theme.names()


def test_theme_is_legible_and_borderless(restore_theme):
    """The theme uses sans-serif, dark text, ≥13 px labels and no view border."""
    chart_render.register_theme()
    config = alt.theme.get()()["config"]
    assert config["font"].endswith("sans-serif")
    assert config["title"]["color"] == "#1a1a1a"
    assert config["axis"]["labelColor"] == "#1a1a1a"
    assert config["axis"]["labelFontSize"] >= 13
    assert config["legend"]["labelFontSize"] >= 13
    assert config["view"]["stroke"] is None


def test_radar_label_font_at_least_13px(radar_spec):
    """Axis labels at size 420 are at least 13 px."""
    for layer, _ in find(radar_spec, "text", "text", "label"):
        assert layer["mark"]["fontSize"] >= 13


def test_themed_chart_still_renders(restore_theme):
    """With the theme enabled a radar still converts to SVG."""
    chart_render.register_theme()
    svg = chart_render.to_svg(radar.radar_chart(tidy(), items=ITEMS))
    assert svg.lstrip().startswith("<svg")
