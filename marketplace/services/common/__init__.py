"""What every domain shares: domain errors, money, text and slugs, local time
(zones, local days, wall-clock words), geography (ZIP centroids, distances), the
technique/condition vocabulary lookups and CSV cells safe to open in a spreadsheet:
``errors``, ``money``, ``text``, ``slugs``, ``local_time``, ``geo``, ``catalog``,
``csv_safe``. README.md beside this file has the rules they keep."""
