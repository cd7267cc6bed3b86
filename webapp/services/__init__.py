"""Domain logic with no Flask request in it.

Who commits: the request or command that called the service, never the service. A view, a CLI
command or a background worker's loop (`webapp.workers`, one unit of work at a time) commits
once its work is done; services add and flush (to get ids, or to meet a constraint or a version
check where they can answer it), and may roll back only to discard their own refused work
(`review.AlreadyDecided`, `registration.AlreadyDeclared`, a sign-in that needs the second
device's OTP in `sessions.open_session`).

The one exception is `atomic.durable()`: a short transaction of its own, committed at once, for
an attempt counter or a lock that must hold even when the request then fails (a sign-in attempt
counted and settled, with the audit rows of a failure or a lock; an OTP send claimed from its
throttle; an OTP try counted). Files follow the transaction: a photo no row refers to any more
is removed once that is committed (`registration.remove_photos_once_committed`).
"""
