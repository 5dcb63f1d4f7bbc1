"""draft preview: a local web page of one case (preview/app.py)."""
