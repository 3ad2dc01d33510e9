"""The matching engine: a dataset's features against the snapshot's OSM objects.

Named passes, each in its own module and testable alone, run in this order by `engine`:
human decisions, duplicates inside the dataset, by reference, by score, one-to-one assignment,
leftovers. The engine works on plain objects (`places`); loading from and saving to the
database is the job of `osm_sync.services.reconciliation`.
"""
