"""Import a business plan from a CSV or XLSX spreadsheet.

- ``parse``: reads the file's bytes into rows and row errors; never touches the database.
- ``stage``: checks the rows against the database and builds every record unsaved;
  ``preview_plan_import`` writes nothing, ``import_plan`` writes everything or nothing.
- ``views``: the upload, preview and confirm pages and their ``urlpatterns``.

Import from the module you need. Nothing is re-exported here, so importing the parser does not
load the models.
"""
