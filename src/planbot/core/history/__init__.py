"""A brand's own sales and ad history (issue 23): the model here, the derivations in baselines.py.

Reading files (CSV/XLSX, encodings, headers) happens outside the core, in planbot/history_read/;
the core only sees the validated `History` a brief carries.
"""
