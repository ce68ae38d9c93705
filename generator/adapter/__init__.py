"""The only MkDocs-aware code: the plugin's event handlers, its options, parallel
rendering of generated pages and the atomic publish of the built site.
"""
