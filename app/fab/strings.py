"""Flask-AppBuilder's own words that its Russian catalogue leaves in English or gets wrong.

FAB's templates and widgets say them through Babel; listed here, they are extracted into the console's catalogues,
whose translations win over FAB's (``BABEL_TRANSLATION_DIRECTORIES``). Nothing calls this list: it exists to be
translated. ``tests/platform/test_every_page.py`` finds any that is still missing.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

FAB_STRINGS = (
    _l("Detail"),  # the tab of every card and edit form
    _l("Select Value"),  # the placeholder of every choice
    _l("Added Row"),  # after an add (FAB's own flash; the console flashes its own)
    _l("Changed Row"),
    _l("Deleted Row"),
    _l("Invalid login. Please try again."),  # FAB's Russian says «аторизации»
    _l("Are you sure you want to delete this item?"),
    _l("User confirmation needed"),
    _l("Add"),
    _l("Edit"),
    _l("Show"),
    _l("Delete"),
    _l("Order by"),
    _l("Database Error"),
    _l("Not a valid choice"),
    _l("Equal to"),
    _l("Not Equal to"),
    _l("Contains"),
    _l("Not Contains"),
    _l("Starts with"),
    _l("Ends with"),
    _l("Not Starts with"),
    _l("Not Ends with"),
    _l("In"),  # the lists' filters: "one of"
    _l("Not In"),
    _l("Greater than"),
    _l("Smaller than"),
    _l("Relation"),
    _l("No Relation"),
    _l("Relation as Many"),
    _l("Search"),
    _l("Add Filter"),
    _l("Refresh"),
    _l("Back"),
    _l("Save"),
    _l("Record Count"),
    _l("No records found"),
    _l("Actions"),
    _l("List Groups"),  # the admin's security menu
    _l("Email"),
    _l("Groups"),
)
