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

    from webapp import (
        i18n,
        models,  # noqa: F401  (registers the tables)
    )
    from webapp.extensions import babel, compress, csrf, db, htmx, limiter, login_manager, migrate
    from webapp.services.clock import Clock

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
    for blueprint in (auth.bp, citizen.bp, public.bp, pwa.bp, registration.bp, officer.bp):
        app.register_blueprint(blueprint)
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
