"""What a `kzqa eval` run is turned into: terminal tables, report.html, the plots and results.json."""
