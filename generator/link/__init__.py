"""Stage 3, link: records → one ``Catalogue`` with references resolved, facts
derived on the build date (certificate status, places, fairs) and indexes built.
"""
