"""Reading portal files: bytes in, records with their row numbers out, or one clear error."""
