"""The Flask-AppBuilder glue every feature builds on, knowing no feature: the scoped data interface, the base views
and REST API, search-as-you-type fields, the save pipeline, actions of custom pages, and the registry of menus."""
