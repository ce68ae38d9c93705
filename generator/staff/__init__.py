"""Tools for the staff who keep the catalogue: new record files, reports."""
