"""Reading OSM files with osmium: extracts (.osm.pbf, .osm, .osm.bz2/.gz) and change files."""
