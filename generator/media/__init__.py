"""Photos, logos and QR codes: processed once, cached by content, on all cores."""
