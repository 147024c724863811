"""Coproduce: consultations, feedback and "you said, we did" for SEND parent-carer forums."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, g
from flask_login import current_user
from jinja2 import FileSystemBytecodeCache
from werkzeug.middleware.proxy_fix import ProxyFix

from forum import config as config_module
from forum.extensions import csrf, db, htmx, limiter, login_manager, migrate

ROOT = Path(__file__).resolve().parent.parent


def _import_models() -> None:
    """Every area's models, so relationships by name resolve and Alembic sees all tables."""
    from forum import scheduling as _scheduling  # noqa: F401
    from forum.accounts import models as _accounts  # noqa: F401
    from forum.accounts.security import models as _security  # noqa: F401
    from forum.areas import models as _areas  # noqa: F401
    from forum.audit import models as _audit  # noqa: F401
    from forum.consultations import models as _consultations  # noqa: F401
    from forum.discussions import models as _discussions  # noqa: F401
    from forum.documents import models as _documents  # noqa: F401
    from forum.events import models as _events  # noqa: F401
    from forum.mailings.newsletters import models as _newsletters  # noqa: F401
    from forum.members import models as _members  # noqa: F401
    from forum.notifications import models as _notifications  # noqa: F401
    from forum.outcomes.decisions import models as _decisions  # noqa: F401
    from forum.outcomes.forum_response import models as _forum_response  # noqa: F401
    from forum.outcomes.national_outcomes import models as _national  # noqa: F401
    from forum.outcomes.scorecard import models as _scorecard  # noqa: F401
    from forum.outcomes.themes import models as _themes  # noqa: F401
    from forum.plans import models as _plans  # noqa: F401
    from forum.reports import models as _reports  # noqa: F401
    from forum.reports.pack import models as _pack  # noqa: F401
    from forum.representation import models as _representation  # noqa: F401
    from forum.surveys import models as _surveys  # noqa: F401
    from forum.web import submissions as _web  # noqa: F401

    # Last: the mailings package imports every other area, so importing it earlier would change
    # the order in which their packages register on the hooks.
    # isort: split
    from forum.mailings.announcements import models as _announcements  # noqa: F401
    from forum.mailings.drafts import models as _drafts  # noqa: F401


def create_app(config_overrides: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(config_module.INSTANCE),
    )
    from forum.web.templating import Environment

    app.jinja_environment = Environment  # before anything makes app.jinja_env
    app.config.update(config_module.load())
    if config_overrides:
        app.config.update(config_overrides)
        if "SQLALCHEMY_DATABASE_URI" in config_overrides:
            url = config_module.normalise_database_url(config_overrides["SQLALCHEMY_DATABASE_URI"])
            app.config["SQLALCHEMY_DATABASE_URI"] = url
            if "SQLALCHEMY_ENGINE_OPTIONS" not in config_overrides:
                app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
                    "pool_pre_ping": not url.startswith("sqlite")
                }

    proxies = app.config["PROXY_COUNT"]
    if proxies > 0:
        # The client's address is the one the nearest trusted proxy saw; anything further
        # left in X-Forwarded-For was written by the client and is ignored.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)  # type: ignore[method-assign]

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    _import_models()
    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
    )
    csrf.init_app(app)
    htmx.init_app(app)
    limiter.init_app(app)
    _init_login(app)

    with app.app_context():
        from forum.database import configure_engine

        configure_engine(db.engine)

    from forum.web import assets, caching, errors, security

    caching.init_app(app)  # first: its response hook runs last
    security.init_app(app)
    assets.init_app(app)
    errors.init_app(app)
    _init_templates(app)
    from forum.web.urls import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added
    _register_blueprints(app)
    _register_cli(app)
    from forum.areas import data_versions

    data_versions.init_app(app)
    return app


def _init_login(app: Flask) -> None:
    from flask import session

    from forum.accounts.security import guard
    from forum.accounts.security.queries import load_signed_in

    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(session_id: str):
        # The account and this browser's session record, in one statement: a session signed
        # out from elsewhere (or idle too long) has no record and so signs no one in.
        found = load_signed_in(session_id, session.get(guard.SESSION_KEY))
        if found is None:
            return None
        user, record = found
        g.user_session = record
        return user

    guard.init_app(app)


def _init_templates(app: Flask) -> None:
    """The generic template filters and globals, registered here and nowhere else; what a page
    shows from another area reaches it through its view (see forum/hooks.py)."""
    from forum.areas import permissions as area_permissions
    from forum.areas.navigation import navigation
    from forum.web.security import csp_nonce, inline_style
    from forum.web.text import render_markdown
    from forum.web.time import iso_date, london, time_until

    app.jinja_env.add_extension("jinja2.ext.do")
    # Compiling the GOV.UK macros costs each new worker about a second on its first request;
    # keep the compiled templates on disk so a restart does not pay it again.
    cache_dir = Path(app.instance_path) / "jinja-cache"
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        pass
    else:
        app.jinja_env.bytecode_cache = FileSystemBytecodeCache(str(cache_dir))
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["london"] = london
    app.jinja_env.filters["time_until"] = time_until
    app.jinja_env.filters["iso_date"] = iso_date
    app.jinja_env.globals["csp_nonce"] = csp_nonce
    app.jinja_env.globals["inline_style"] = inline_style
    app.jinja_env.globals["navigation"] = navigation
    app.jinja_env.globals["can"] = {
        name: getattr(area_permissions, name)
        for name in dir(area_permissions)
        if name.startswith(("can_", "is_", "role_in", "membership_in"))
    }
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    # govuk-frontend-jinja's macros live in its own package.
    from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

    app.jinja_loader = ChoiceLoader(
        [
            app.jinja_loader,
            PrefixLoader(
                {"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}
            ),
        ]
    )

    @app.context_processor
    def _context():
        return {"current_area": g.get("area"), "user": current_user}


def _register_blueprints(app: Flask) -> None:
    from forum.accounts import bp as accounts_bp
    from forum.accounts.rights import bp as rights_bp
    from forum.areas import bp as areas_bp
    from forum.consultations import bp as consultations_bp
    from forum.discussions import bp as discussions_bp
    from forum.documents import bp as documents_bp
    from forum.events import bp as events_bp
    from forum.mailings import bp as mailings_bp
    from forum.members import bp as members_bp
    from forum.outcomes import bp as outcomes_bp
    from forum.plans import bp as plans_bp
    from forum.reports import bp as reports_bp
    from forum.representation import bp as representation_bp
    from forum.surveys import bp as surveys_bp
    from forum.web import bp as web_bp

    app.register_blueprint(web_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(rights_bp)
    app.register_blueprint(areas_bp)
    app.register_blueprint(documents_bp)
    app.register_blueprint(consultations_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(discussions_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(members_bp)
    app.register_blueprint(outcomes_bp)
    app.register_blueprint(representation_bp)
    app.register_blueprint(mailings_bp)
    app.register_blueprint(reports_bp)


def _register_cli(app: Flask) -> None:
    from forum.accounts.cli import accounts
    from forum.cli import seed
    from forum.jobs import jobs, worker
    from forum.notifications.cli import outbox
    from forum.retention import purge

    app.cli.add_command(seed)
    app.cli.add_command(outbox)
    app.cli.add_command(purge)
    app.cli.add_command(accounts)
    app.cli.add_command(worker)
    app.cli.add_command(jobs)
