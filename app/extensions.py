"""Extensions created once, bound to each app by ``create_app``."""

from flask_appbuilder import Model
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

# FAB's declarative base, so FAB's security tables and ours share one metadata
# that Alembic's autogenerate sees.
db = SQLAlchemy(model_class=Model)
migrate = Migrate(render_as_batch=True)
csrf = CSRFProtect()
