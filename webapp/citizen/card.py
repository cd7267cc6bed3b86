"""Thẻ BHYT (C5). Placeholder routes: replaced by the card work."""

from webapp.citizen import bp
from webapp.templating import render_page


@bp.route("/the-bhyt")
def card():
    return render_page("citizen/placeholder.html")


@bp.route("/the-bhyt/xem")
def card_view():
    return render_page("citizen/placeholder.html")
