"""The web face: a FastAPI app over the application object, with pages, static assets and the JSON API.

In: HTTP requests. Out: HTML pages, JSON rows (``drafter.rows``) and .docx downloads. ``app`` builds the
app, ``api`` the routes, ``errors`` maps every failure to a 4xx JSON body, ``cache`` keeps Word bytes by
draft, ``upload`` checks and stores uploaded reports, ``schemas`` documents responses in OpenAPI.
"""
