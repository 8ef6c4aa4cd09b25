"""One module per Wix API; each exposes `ROUTES`, the Wix methods it serves."""
