"""validate: `draft check` and the checks a command runs before writing, by concern.

check.py runs them (check_case, check_built); problems.py collects and prints problems;
library.py checks the clause files; coverage.py the brief against the letter;
documents.py builds every document kind; consistency.py compares the documents with the
selection and with one another; leaks.py keeps internal text from wider audiences;
lifecycle.py reports stale clearances, overrides and divergence from releases;
choices.py gives the checks the selection's choices (drafting.select).

The pipeline never imports this package: api.py calls it from above.
"""
