"""Brace temperature-logger files: read them (`formats`), decide worn or not and count the hours
per local day (`wear`), and store them (`importing`, the one write). docs/brace-sensors.md.

`formats` and `wear` are pure (plain values in, plain values out, no ORM), like tracker/rules/.
"""
