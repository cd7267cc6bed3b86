"""C1/X3 (server side): manifest, icons, the service worker's script and the offline page."""

from __future__ import annotations

import json
import struct

from webapp.pwa import views as pwa_views


def test_every_page_links_the_manifest_and_the_app_script(client):
    soup = client.page("/login")
    assert soup.select_one("link[rel=manifest]")["href"] == "/manifest.webmanifest"
    assert soup.select_one("script[src='/static/js/app.js']") is not None


def test_manifest_is_vietnamese_and_installable(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    manifest = json.loads(response.get_data(as_text=True))
    assert manifest["name"] == "VssID – Bảo hiểm xã hội số"
    assert manifest["short_name"] == "VssID"
    assert manifest["lang"] == "vi"
    assert manifest["display"] == "standalone"
    assert manifest["scope"] == "/" and manifest["start_url"] == "/ca-nhan/"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_manifest_follows_the_language(client):
    client.set_cookie("lang", "en")
    manifest = json.loads(client.get("/manifest.webmanifest").get_data(as_text=True))
    assert manifest["name"] == "VssID – Social Insurance"
    assert manifest["lang"] == "en"


def test_icons_are_pngs_of_their_size(client):
    for url, size in [
        ("/icons/192.png", 192),
        ("/icons/512.png", 512),
        ("/icons/512.png?maskable=1", 512),
    ]:
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "image/png"
        body = response.get_data()
        assert body[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", body[16:24]) == (size, size)
    assert client.get("/icons/64.png").status_code == 404


def test_maskable_icon_is_full_bleed_and_plain_icon_has_round_corners(client):
    import zlib

    from webapp.pwa.icons import icon_png

    def corner_alpha(png: bytes, size: int) -> int:
        data = png[png.index(b"IDAT") + 4 :]
        raw = zlib.decompressobj().decompress(data)
        return raw[1 + 3]  # first pixel's alpha, after the row's filter byte

    assert corner_alpha(icon_png(192), 192) == 0
    assert corner_alpha(icon_png(192, maskable=True), 192) == 255


def test_service_worker_is_served_at_the_root_uncached_with_a_content_version(client, app):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    source = response.get_data(as_text=True)
    assert "__VERSION__" not in source and "__SHELL_URLS__" not in source
    version = pwa_views.content_version()
    assert f'const VERSION = "{version}";' in source
    assert '"/offline"' in source and '"/static/css/app.css"' in source


def test_content_version_changes_when_a_cached_file_changes(tmp_path):
    static, templates, translations = (tmp_path / name for name in ("s", "t", "l"))
    for folder in (static, templates, translations):
        folder.mkdir()
    (static / "app.css").write_text("body { color: black }")
    before = pwa_views._content_version(str(static), str(templates), str(translations))
    (static / "app.css").write_text("body { color: navy }")
    pwa_views._content_version.cache_clear()
    after = pwa_views._content_version(str(static), str(templates), str(translations))
    pwa_views._content_version.cache_clear()
    assert before != after


def test_every_precached_url_exists(client, app):
    with app.test_request_context():
        urls = pwa_views.shell_urls()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()


def test_offline_page_links_to_what_is_kept(client):
    soup = client.page("/offline")
    assert soup.h1.get_text() == "Bạn đang ngoại tuyến"
    links = [a["href"] for a in soup.select(".offline-links a")]
    assert links == ["/ca-nhan/the-bhyt", "/ca-nhan/the-bhyt/xem", "/ca-nhan/so-kham-chua-benh"]


def test_pages_name_the_account_for_the_worker_without_saying_who(
    client, citizen, other_citizen, login, app
):
    anonymous = app.test_client().get("/login")
    assert anonymous.headers["X-Vssid-Account"] == "-"
    tag = client.get("/ca-nhan/").headers["X-Vssid-Account"]
    assert len(tag) == 24 and citizen.bhxh_code not in tag and str(citizen.account.id) != tag
    other = app.test_client()
    login(other_citizen.bhxh_code, c=other)
    assert other.get("/ca-nhan/").headers["X-Vssid-Account"] not in {tag, "-"}


def test_personal_pages_carry_the_hidden_offline_banner_and_no_htmx_history(client, citizen):
    soup = client.page("/ca-nhan/")
    banner = soup.select_one("[data-offline-banner]")
    assert banner.has_attr("hidden")
    assert banner.get_text() == "Đang ngoại tuyến — cập nhật lúc 25/11/2026 10:00"
    assert soup.body["hx-history"] == "false"


def test_logout_clears_what_the_browser_kept(client, citizen):
    soup = client.page("/ca-nhan/")
    token = soup.select_one("form.logout input[name=csrf_token]")["value"]
    response = client.post("/logout", data={"csrf_token": token})
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    soup = client.page("/login")
    assert soup.body.has_attr("data-signed-out")
