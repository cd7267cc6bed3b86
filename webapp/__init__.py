"""VssID PWA: the citizen app of Vietnam Social Security and its officer back-office."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from webapp.config import Config


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the app: config → extensions → i18n → blueprints → errors → CLI.

    `config` is a Config class (instantiated with the instance path) or a mapping of overrides
    applied on top of the environment-derived Config.
    """
    app = Flask(__name__, instance_relative_config=True)
    # Path variables of every route: ASCII digits the database can hold, and text without
    # control characters; any other URL is 404 before a view or a query sees it.
    from webapp.parsing import BoundedIntConverter, PathSegmentConverter

    app.url_map.converters["int"] = BoundedIntConverter
    app.url_map.converters["default"] = PathSegmentConverter
    app.url_map.converters["string"] = PathSegmentConverter
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if isinstance(config, type):
        app.config.from_object(config(app.instance_path))
    else:
        app.config.from_object(Config(app.instance_path))
        if config:
            app.config.update(config)

    from webapp.throttling import refuse_per_process_counts

    refuse_per_process_counts(app)
    # The request id first, then the timer, so that every later hook logs with the id and
    # is timed.
    from webapp import logs, ops, request_id

    request_id.init_app(app)
    ops.init_app(app)
    logs.init_app(app)

    from webapp import (
        i18n,
        models,  # noqa: F401  (registers the tables)
    )
    from webapp.extensions import babel, compress, csrf, db, htmx, limiter, login_manager, migrate
    from webapp.services.clock import Clock

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # SQLite has one writer at a time: under a crowd (or a loaded host) a writer waits up
        # to 30 s for its turn, where the driver's 5 s default answered some with a 500.
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        }
        options["connect_args"] = {"timeout": 30, **options.get("connect_args", {})}
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    compress.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    app.extensions.setdefault("clock", Clock())
    if app.config["PROXY_FIX_X_FOR"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=app.config["PROXY_FIX_X_FOR"], x_proto=1, x_host=1
        )

    from webapp import (
        api,
        auth,
        citizen,
        officer,
        public,
        pwa,
        registration,
        security,
        templating,
        users,  # noqa: F401  (the user loader of both kinds of session)
    )

    templating.init_app(app)
    security.init_app(app)
    for blueprint in (
        auth.bp,
        citizen.bp,
        public.bp,
        pwa.bp,
        registration.bp,
        officer.bp,
        api.bp,
        api.root,
    ):
        app.register_blueprint(blueprint)
    app.register_blueprint(ops.bp)
    if app.config["DEMO_MODE"] or app.debug:
        from webapp import dev

        app.register_blueprint(dev.bp)

    from webapp import errors

    errors.init_app(app)

    from webapp import cli
    from webapp.officer import cli as officer_cli
    from webapp.registration import cli as registration_cli

    cli.init_app(app)
    officer_cli.init_app(app)
    registration_cli.init_app(app)
    return app
