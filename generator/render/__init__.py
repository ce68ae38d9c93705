"""Stage 4b, render helpers: what templates use besides the records themselves —
sanitised Markdown, number and date formats, JSON-LD, social cards.
"""
