"""P3 Tra cứu trực tuyến and P5 the offices map.

Each directory is one URL whose query string is the search (`?q=…&tinh=…&page=…`): a plain link
or form works without JavaScript, and HTMX asks the same URL for the results fragment only, as
the citizen types (debounced) or turns a page.
"""

from __future__ import annotations

from flask import abort, current_app, request, url_for
from flask_babel import lazy_gettext as _l

from webapp.public import bp
from webapp.public.forms import LookupForm
from webapp.security import allow_map_tiles
from webapp.services import lookups
from webapp.services.provinces import PROVINCES
from webapp.templating import render_page

TITLES = {
    "co-quan-bhxh": _l("BHXH offices"),
    "cskcb-cap-giay-nghi-viec": _l("Health facilities issuing sick-leave certificates"),
    "cskcb-kham-chua-benh-bhyt": _l("Health facilities with a BHYT contract"),
    "don-vi-tham-gia": _l("Employers participating in BHXH"),
    "diem-thu-dai-ly-thu": _l("Collection points and agents"),
}
# Examples of what the search understands: no diacritics, abbreviations, a province's other names.
HINTS = {
    "co-quan-bhxh": _l("Office name or code, e.g. “ha noi” or “TP.HCM”"),
    "cskcb-cap-giay-nghi-viec": _l("Facility name or code, e.g. “BV Bach Mai”"),
    "cskcb-kham-chua-benh-bhyt": _l("Facility name or code, e.g. “TTYT Cu Chi” or “tram y te”"),
    "don-vi-tham-gia": _l("Employer name, tax code or unit code, e.g. “Cty TNHH”"),
    "diem-thu-dai-ly-thu": _l("Name of the point or agent, e.g. “buu dien”"),
}
FACILITY_LEVELS = {
    "central": _l("Central"),
    "province": _l("Provincial"),
    "district": _l("District"),
    "commune": _l("Commune"),
}
POINT_KINDS = {"point": _l("Collection point"), "agent": _l("Collection agent")}


def page_url(kind: str, q: str, tinh: str, page: int) -> str:
    """The URL of one page of results, with only the parameters that say something."""
    params = {"q": q or None, "tinh": tinh or None, "page": page if page > 1 else None}
    return url_for("public.lookup", kind=kind, **{k: v for k, v in params.items() if v})


@bp.route("/tra-cuu/<kind>")
def lookup(kind: str):
    """Tra cứu: search one public directory by name (without diacritics) and province."""
    directory = lookups.DIRECTORIES.get(kind) or abort(404)
    form = LookupForm(formdata=request.args)
    form.q.description = HINTS[kind]  # shown above the box, never only as a cut-off placeholder
    results = None
    status = 200
    if not form.validate() and form.page.errors:
        abort(404)  # a page number is part of a link, not something typed: no such page
    if not form.errors:
        results = lookups.search(
            directory, form.q.data or "", form.tinh.data or None, form.page.data
        )
    else:
        status = 400
    return render_page(
        "public/lookup.html",
        "public/_lookup_results.html",
        kind=kind,
        title=TITLES[kind],
        form=form,
        results=results,
        q=form.q.data or "",
        tinh=form.tinh.data or "",
        page_url=page_url,
        provinces=PROVINCES,
        facility_levels=FACILITY_LEVELS,
        point_kinds=POINT_KINDS,
        titles=TITLES,
        geo_uri=lookups.geo_uri,
    ), status


@bp.route("/co-quan-bhxh/ban-do")
def office_map():
    """Bản đồ cơ quan BHXH: the offices of the chosen province (or all) as markers on a Leaflet
    map (tiles from MAP_TILE_URL), and listed below, ten a page, with address, phone and a
    "Chỉ đường" (geo:) link, which is all that is left when the tiles cannot be reached. The
    province filter is a plain GET form; the map always shows every office of the filter."""
    form = LookupForm(formdata=request.args)
    status = 200
    offices: list = []
    if not form.validate() and form.page.errors and not form.tinh.errors:
        abort(404)  # a page number is part of a link, not something typed: no such page
    if not form.errors:
        offices = lookups.offices_on_map(form.tinh.data or None)
    else:
        status = 400
    listed = lookups.page_of(offices, form.page.data or 1, lookups.MAP_PAGE_SIZE)
    tiles = allow_map_tiles()
    config = current_app.config
    tinh = "" if form.tinh.errors else (form.tinh.data or "")
    markers = [
        {
            "name": o.name,
            "address": o.address,
            "lat": o.latitude,
            "lng": o.longitude,
            "directions": lookups.geo_uri(o.latitude, o.longitude, o.name),
        }
        for o in offices
        if o.latitude is not None and o.longitude is not None
    ]
    return render_page(
        "public/office_map.html",
        form=form,
        offices=listed,
        markers=markers,
        page_size=lookups.MAP_PAGE_SIZE,
        map_page_url=lambda page: _map_page_url(tinh, page),
        provinces=PROVINCES,
        tile_url=config["MAP_TILE_URL"] if tiles else "",
        attribution=config["MAP_ATTRIBUTION"],
        geo_uri=lookups.geo_uri,
        titles=TITLES,
    ), status


def _map_page_url(tinh: str, page: int) -> str:
    """The URL of one page of the offices list, with only the parameters that say something."""
    params = {"tinh": tinh or None, "page": page if page > 1 else None}
    return url_for("public.office_map", **{k: v for k, v in params.items() if v})
