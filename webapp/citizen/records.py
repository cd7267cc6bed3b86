"""Quá trình tham gia, thông tin hưởng, sổ KCB (C7–C9). Placeholder routes: replaced by that work."""

from webapp.citizen import bp
from webapp.templating import render_page


@bp.route("/qua-trinh-tham-gia")
def history():
    return render_page("citizen/placeholder.html")


@bp.route("/thong-tin-huong")
def benefits():
    return render_page("citizen/placeholder.html")


@bp.route("/so-kham-chua-benh")
def medical_book():
    return render_page("citizen/placeholder.html")
