"""The DCAT catalog of published datasets, so that open-data portals harvest them by reference
(DCAT-AP 2.1.1 and 3.0, checked against the bundled SHACL shapes in the tests)."""
